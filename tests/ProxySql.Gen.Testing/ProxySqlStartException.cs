namespace ProxySql.Testing;

/// <summary>
/// A <see cref="ProxySqlNode"/> could not be started: the binary is missing or does not run, or the node did
/// not answer on its admin and MySQL ports in time. The message carries the node's output.
/// </summary>
public sealed class ProxySqlStartException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ProxySqlStartException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What failed and how to fix it.</param>
    public ProxySqlStartException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the failure that caused it.</summary>
    /// <param name="message">What failed and how to fix it.</param>
    /// <param name="innerException">The underlying failure.</param>
    public ProxySqlStartException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
