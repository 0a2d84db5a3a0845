namespace ProxySql.Configuration;

/// <summary>One peer's bound configuration. Immutable: a reload swaps the whole value.</summary>
/// <param name="Name">The declared property name.</param>
/// <param name="ConfigurationKey">The key under <c>Peers</c>.</param>
/// <param name="ConnectionString">The shared connection string with this peer's keys merged over it; the key of its pool.</param>
/// <param name="ProbeConnectionString">The same with pooling off, for background probes.</param>
/// <param name="Endpoint">Server and port, for messages (no secrets).</param>
/// <param name="Weight">0 or more; 0 is a standby.</param>
/// <param name="Enabled">Whether the peer is in rotation.</param>
/// <param name="ConnectTimeout">
/// The timeout of one attempt on this peer: the <c>Connect Timeout</c> of the peer's own connection string when it
/// sets one, else <see cref="BalancerSettings.ConnectTimeout"/>. The driver's timeout in
/// <paramref name="ConnectionString"/> is this, in whole seconds.
/// </param>
internal sealed record PeerSettings(
    string Name,
    string ConfigurationKey,
    string ConnectionString,
    string ProbeConnectionString,
    string Endpoint,
    int Weight,
    bool Enabled,
    TimeSpan ConnectTimeout)
{
    // A record prints every member; the connection strings hold the password, so a logged or
    // interpolated PeerSettings (or a debugger view) would show it.
    public override string ToString() =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Name} ({Endpoint}, weight {Weight}, {(Enabled ? "enabled" : "disabled")})");
}
