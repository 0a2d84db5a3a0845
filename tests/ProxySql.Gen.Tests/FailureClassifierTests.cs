using System.Net.Sockets;
using ProxySql.Core;

namespace ProxySql.Tests;

public sealed class FailureClassifierTests
{
    [Theory]
    [InlineData(SocketError.ConnectionRefused, "Refused")]
    [InlineData(SocketError.ConnectionReset, "Reset")]
    [InlineData(SocketError.TimedOut, "Timeout")]
    [InlineData(SocketError.HostUnreachable, "Unreachable")]
    public void Socket_errors_are_classified_from_the_inner_exception(SocketError error, string expected)
    {
        var wrapped = new InvalidOperationException("wrapper", new SocketException((int)error));
        Assert.Equal(Enum.Parse<FailureKind>(expected), FailureClassifier.Classify(wrapped, attemptTimedOut: false));
    }

    [Fact]
    public void End_of_stream_in_the_handshake_is_its_own_kind()
    {
        Assert.Equal(FailureKind.EndOfStream, FailureClassifier.Classify(new EndOfStreamException(), attemptTimedOut: false));
    }

    [Fact]
    public void Our_deadline_wins_over_what_the_driver_made_of_the_cancellation()
    {
        Assert.Equal(FailureKind.Timeout, FailureClassifier.Classify(new OperationCanceledException(), attemptTimedOut: true));
    }

    [Fact]
    public void Our_attempt_timeout_is_a_timeout_whatever_the_driver_threw()
    {
        Assert.Equal(FailureKind.Timeout, FailureClassifier.Classify(new InvalidOperationException("x"), attemptTimedOut: true));
    }

    [Theory]
    [InlineData(1040, "TooManyConnections")]
    [InlineData(9001, "ProxySqlNoBackend")]
    [InlineData(1044, "Configuration")]
    [InlineData(1045, "Configuration")]
    [InlineData(1049, "Configuration")]
    public void Server_errors_that_say_the_peer_cannot_serve_or_is_misconfigured_are_recognised(int number, string expected)
    {
        Assert.Equal(Enum.Parse<FailureKind>(expected), FailureClassifier.ClassifyServerError(number));
    }

    [Fact]
    public void Other_server_errors_are_not_special()
    {
        Assert.Null(FailureClassifier.ClassifyServerError(1064));
    }

    [Fact]
    public void Unknown_exceptions_are_other()
    {
        Assert.Equal(FailureKind.Other, FailureClassifier.Classify(new InvalidOperationException("x"), attemptTimedOut: false));
    }
}
