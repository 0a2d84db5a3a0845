namespace ProxySql;

/// <summary>What the health check reports of one peer, read once so one report is consistent.</summary>
internal readonly record struct ProxySqlPeerReport(
    string Name,
    ProxySqlPeerState State,
    ProxySqlPeerStateReason Reason,
    string? LastError,
    DateTimeOffset? LastErrorAt,
    int ConnectionsInUse,
    bool Enabled)
{
    public static ProxySqlPeerReport Of(ProxySqlPeer peer) =>
        new(peer.Name, peer.State, peer.StateReason, peer.LastError, peer.LastErrorAt, peer.ConnectionsInUse, peer.Enabled);
}
