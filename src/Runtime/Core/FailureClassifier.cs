using System.Net.Sockets;
using MySqlConnector;

namespace ProxySql.Core;

/// <summary>Sorts an open failure into a <see cref="FailureKind"/>; pure, so it is unit-tested without a server.</summary>
internal static class FailureClassifier
{
    public static FailureKind Classify(Exception exception, bool attemptTimedOut)
    {
        // Our own deadline decides first, whatever the driver made of the cancellation.
        if (attemptTimedOut)
            return FailureKind.Timeout;

        FailureKind? fromChain = null;
        for (var current = exception; current is not null; current = current.InnerException)
        {
            var kind = current switch
            {
                MySqlException mysql => ClassifyMySql(mysql),
                SocketException socket => ClassifySocket(socket.SocketErrorCode),
                EndOfStreamException => FailureKind.EndOfStream,
                TimeoutException => FailureKind.Timeout,
                IOException => FailureKind.Reset,
                OperationCanceledException => FailureKind.Timeout,
                _ => (FailureKind?)null,
            };

            // A specific inner cause (socket error, end of stream) beats the driver's generic wrapper.
            if (kind is not null && (fromChain is null || fromChain is FailureKind.Unreachable or FailureKind.Other))
                fromChain = kind;
        }

        return fromChain ?? FailureKind.Other;
    }

    public static FailureKind? ClassifyServerError(int number) => number switch
    {
        1040 => FailureKind.TooManyConnections,
        9001 => FailureKind.ProxySqlNoBackend,
        1044 or 1045 or 1049 => FailureKind.Configuration,
        _ => null,
    };

    public static FailureKind ClassifySocket(SocketError error) => error switch
    {
        SocketError.ConnectionRefused => FailureKind.Refused,
        SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.Shutdown => FailureKind.Reset,
        SocketError.TimedOut => FailureKind.Timeout,
        _ => FailureKind.Unreachable,
    };


    /// <summary>The metric / log reason for a kind.</summary>
    public static string Reason(FailureKind kind) => kind switch
    {
        FailureKind.Cancelled => "cancelled",
        FailureKind.Refused => "refused",
        FailureKind.Reset => "reset",
        FailureKind.EndOfStream => "end_of_stream",
        FailureKind.Timeout => "timeout",
        FailureKind.TooManyConnections => "too_many_connections",
        FailureKind.ProxySqlNoBackend => "proxysql_no_backend",
        FailureKind.Unreachable => "unreachable",
        FailureKind.Configuration => "configuration",
        FailureKind.Paused => "paused",
        _ => "other",
    };

    private static FailureKind? ClassifyMySql(MySqlException exception)
    {
        if (ClassifyServerError(exception.Number) is { } server)
            return server;
        if (exception.ErrorCode == MySqlErrorCode.UnableToConnectToHost)
        {
            return exception.Message.Contains("Timeout", StringComparison.OrdinalIgnoreCase) ? FailureKind.Timeout : FailureKind.Unreachable;
        }

        return exception.IsTransient ? FailureKind.Unreachable : FailureKind.Other;
    }
}
