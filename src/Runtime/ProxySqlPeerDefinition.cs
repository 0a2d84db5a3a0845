using System.ComponentModel;

namespace ProxySql;

/// <summary>One declared peer, as the source generator describes it to the runtime.</summary>
/// <param name="Name">The property name (what logs, metrics and errors call the peer).</param>
/// <param name="ConfigurationKey">The key under the section's <c>Peers</c> (case-insensitive).</param>
/// <param name="DefaultWeight">The weight used when configuration does not set one.</param>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed record ProxySqlPeerDefinition(string Name, string ConfigurationKey, int DefaultWeight = 1);
