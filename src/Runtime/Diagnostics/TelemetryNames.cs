namespace ProxySql.Diagnostics;

/// <summary>Attribute values as fixed strings, so recording a measurement never formats or allocates one.</summary>
internal static class TelemetryNames
{
    public const string DbSystem = "mysql";

    public static string State(ProxySqlPeerState state) => state switch
    {
        ProxySqlPeerState.Up => "up",
        ProxySqlPeerState.Down => "down",
        ProxySqlPeerState.Draining => "draining",
        ProxySqlPeerState.Disabled => "disabled",
        _ => "unknown",
    };

    /// <summary>The reason in kebab case, as metrics, logs and the health check's data show it.</summary>
    public static string Reason(ProxySqlPeerStateReason reason) => reason switch
    {
        ProxySqlPeerStateReason.Refused => "refused",
        ProxySqlPeerStateReason.Timeout => "timeout",
        ProxySqlPeerStateReason.ConnectionLost => "connection-lost",
        ProxySqlPeerStateReason.TooManyConnections => "too-many-connections",
        ProxySqlPeerStateReason.BackendUnavailable => "backend-unavailable",
        ProxySqlPeerStateReason.Paused => "paused",
        ProxySqlPeerStateReason.Configuration => "configuration",
        ProxySqlPeerStateReason.Disabled => "disabled",
        _ => "none",
    };

    /// <summary>
    /// The engine's failure-kind strings (<c>FailureClassifier.Reason</c>) as the state reason they amount to, for callers
    /// still passing those. Unknown strings stay as they are.
    /// </summary>
    public static ProxySqlPeerStateReason? ReasonOf(string failure) => failure switch
    {
        "refused" or "unreachable" => ProxySqlPeerStateReason.Refused,
        "timeout" => ProxySqlPeerStateReason.Timeout,
        "reset" or "end_of_stream" => ProxySqlPeerStateReason.ConnectionLost,
        "too_many_connections" => ProxySqlPeerStateReason.TooManyConnections,
        "proxysql_no_backend" => ProxySqlPeerStateReason.BackendUnavailable,
        "draining" or "paused" => ProxySqlPeerStateReason.Paused,
        "configuration" => ProxySqlPeerStateReason.Configuration,
        _ => null,
    };

    /// <summary>An <c>error.type</c> value in kebab case for an engine failure string (<c>end_of_stream</c> → <c>end-of-stream</c>).</summary>
    public static string ErrorType(string failure) => failure switch
    {
        "refused" or "timeout" or "reset" or "unreachable" or "configuration" or "cancelled" or "other" => failure,
        "end_of_stream" => "end-of-stream",
        "too_many_connections" => "too-many-connections",
        "proxysql_no_backend" => "backend-unavailable",
        "hedge" => "slow",
        _ => failure.Replace('_', '-'),
    };
}
