namespace ProxySql.Testing;

/// <summary>
/// A <see cref="MariaDbServer"/> could not be started: the binaries are missing, the datadir could not
/// be initialised, or the server did not become ready. The message carries the server's error log.
/// </summary>
public sealed class MariaDbStartException : Exception
{
    /// <summary>Creates the exception.</summary>
    public MariaDbStartException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What failed and how to fix it.</param>
    public MariaDbStartException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the failure that caused it.</summary>
    /// <param name="message">What failed and how to fix it.</param>
    /// <param name="innerException">The underlying failure.</param>
    public MariaDbStartException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
