using Microsoft.Extensions.Logging;

namespace ProxySql.Diagnostics;

/// <summary>The balancer's log messages, source-generated.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Warning, "ProxySQL peer {Peer} ({Endpoint}) is Down for {RetryAfterMs} ms: {Reason}: {Error}")]
    public static partial void PeerDown(ILogger logger, string peer, string endpoint, long retryAfterMs, string reason, string error);

    [LoggerMessage(2, LogLevel.Error, "ProxySQL peer {Peer} ({Endpoint}) rejected the connection settings (configuration error, check user, password and database): {Error}")]
    public static partial void PeerConfigurationError(ILogger logger, string peer, string endpoint, string error);

    [LoggerMessage(3, LogLevel.Information, "ProxySQL peer {Peer} ({Endpoint}) is Up again")]
    public static partial void PeerUp(ILogger logger, string peer, string endpoint);

    [LoggerMessage(4, LogLevel.Debug, "Open on ProxySQL peer {Peer} failed ({Reason}); failing over")]
    public static partial void FailingOver(ILogger logger, string peer, string reason);

    [LoggerMessage(5, LogLevel.Debug, "Open on ProxySQL peer {Peer} slower than {HedgeDelayMs} ms; hedging on another peer")]
    public static partial void Hedging(ILogger logger, string peer, long hedgeDelayMs);

    [LoggerMessage(6, LogLevel.Error, "No ProxySQL peer could serve: {Peers}")]
    public static partial void Unavailable(ILogger logger, string peers);

    [LoggerMessage(7, LogLevel.Warning, "ProxySQL peer {Peer} ({Endpoint}) is Draining ({Reason}); {InUse} connections still in use")]
    public static partial void PeerDraining(ILogger logger, string peer, string endpoint, string reason, int inUse);

    [LoggerMessage(8, LogLevel.Information, "ProxySQL peer {Peer} ({Endpoint}) finished draining: 0 connections in use")]
    public static partial void PeerDrained(ILogger logger, string peer, string endpoint);

    [LoggerMessage(9, LogLevel.Information, "ProxySQL peer {Peer} ({Endpoint}) answers probes again; no longer Draining")]
    public static partial void PeerResumed(ILogger logger, string peer, string endpoint);

    [LoggerMessage(10, LogLevel.Information, "ProxySQL configuration reloaded: {Summary}")]
    public static partial void Reloaded(ILogger logger, string summary);

    [LoggerMessage(11, LogLevel.Error, "ProxySQL configuration reload rejected; keeping the last good configuration: {Error}")]
    public static partial void ReloadRejected(ILogger logger, string error);

    [LoggerMessage(13, LogLevel.Warning, "The probe statement on ProxySQL peer {Peer} was rejected by the server; counted as reaching a backend. Fix ProbeQuery: {Error}")]
    public static partial void ProbeStatementRejected(ILogger logger, string peer, string error);

    [LoggerMessage(12, LogLevel.Warning, "Background work for ProxySQL peer {Peer} failed unexpectedly")]
    public static partial void BackgroundFailure(ILogger logger, Exception exception, string peer);

    [LoggerMessage(14, LogLevel.Warning, "ProxySQL peer {Peer} is Down: {Cut} of its {InUse} sessions in use were closed by the node (ShutdownSessionsOnMarkDown)")]
    public static partial void SessionsCut(ILogger logger, string peer, int cut, int inUse);

    [LoggerMessage(16, LogLevel.Warning, "The open on ProxySQL peer {Peer} reached its connect timeout, but this process stood still for {StalledMs} ms of it (frozen, a long GC pause, or CPU or thread-pool starvation): it gets {ExtraMs} ms more instead of marking the peer Down")]
    public static partial void OpenOutlivedStall(ILogger logger, string peer, long stalledMs, long extraMs);

    [LoggerMessage(17, LogLevel.Warning, "A {What} on ProxySQL peer {Peer} timed out while this process stood still for {StalledMs} ms of it (frozen, a long GC pause, or CPU or thread-pool starvation): not held against the peer")]
    public static partial void TimeoutDuringStall(ILogger logger, string what, string peer, long stalledMs);

    [LoggerMessage(15, LogLevel.Warning, "ProxySQL peer {Peer} is Down: {Left} of its sessions in use could not be closed (ShutdownSessionsOnMarkDown), the node did not take the KILL: {Error}")]
    public static partial void SessionsNotCut(ILogger logger, string peer, int left, string error);
}
