namespace ProxySql.Core;

/// <summary>Maps failures to the reasons operators see, and reasons to their names in logs and metrics.</summary>
internal static class StateReasons
{
    public static ProxySqlPeerStateReason Of(FailureKind kind) => kind switch
    {
        FailureKind.Refused or FailureKind.Unreachable => ProxySqlPeerStateReason.Refused,
        FailureKind.Timeout => ProxySqlPeerStateReason.Timeout,
        FailureKind.TooManyConnections => ProxySqlPeerStateReason.TooManyConnections,
        FailureKind.ProxySqlNoBackend => ProxySqlPeerStateReason.BackendUnavailable,
        FailureKind.Configuration => ProxySqlPeerStateReason.Configuration,
        _ => ProxySqlPeerStateReason.ConnectionLost,
    };

    /// <summary>The kebab-case name used as the reason attribute and in log messages.</summary>
    public static string Name(ProxySqlPeerStateReason reason) => Diagnostics.TelemetryNames.Reason(reason);

    /// <summary>Whether the peer's sessions are dead or would hang, so its pool is retired when it goes Down for it.</summary>
    public static bool SessionsAreDead(ProxySqlPeerStateReason reason) =>
        reason is not (ProxySqlPeerStateReason.Configuration or ProxySqlPeerStateReason.TooManyConnections);
}
