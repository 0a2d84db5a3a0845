using MySqlConnector;

namespace ProxySql.Core;

/// <summary>How one attempt on one peer ended.</summary>
/// <param name="Peer">The peer tried.</param>
/// <param name="Connection">The open connection when it succeeded.</param>
/// <param name="Kind">Why it failed (meaningless on success).</param>
/// <param name="Error">The failure.</param>
internal readonly record struct AttemptOutcome(ProxySqlPeer Peer, MySqlConnection? Connection, FailureKind Kind, Exception? Error)
{
    public bool Succeeded => Error is null;
}
