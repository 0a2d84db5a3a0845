namespace ProxySql.Core;

/// <summary>What <see cref="PeerSelector"/> sees of one eligible peer at the moment of a choice.</summary>
/// <param name="Weight">Configured weight; 0 is a standby.</param>
/// <param name="Load">Connections in use plus opens in flight.</param>
/// <param name="Latency">Decaying average of open latency, or how long its sessions in use have not moved when longer, in seconds.</param>
/// <param name="Ramp">Slow start: the fraction of its share a recovered peer gets now, in (0, 1].</param>
/// <param name="HoldTime">Decaying average of how long its leases are held (handed out → returned), in seconds.</param>
internal readonly record struct PeerSnapshot(int Weight, int Load, double Latency, double Ramp, double HoldTime = 0);
