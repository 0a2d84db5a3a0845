using System.Data.Common;

namespace ProxySql;

/// <summary>
/// No peer could serve a new connection. The message lists each peer's name, state and last error (never a secret).
/// </summary>
public sealed class ProxySqlUnavailableException : DbException
{
    /// <summary>Creates the exception.</summary>
    public ProxySqlUnavailableException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What happened.</param>
    public ProxySqlUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the last driver error.</summary>
    /// <param name="message">What happened.</param>
    /// <param name="innerException">The last error seen.</param>
    public ProxySqlUnavailableException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Peers may come back after their check interval, so retrying later can succeed.</summary>
    public override bool IsTransient => true;
}
