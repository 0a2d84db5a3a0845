namespace ProxySql;

/// <summary>The ProxySql configuration is invalid. The message names the configuration path and never contains a secret.</summary>
public sealed class ProxySqlConfigurationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ProxySqlConfigurationException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What is wrong, naming the configuration path.</param>
    public ProxySqlConfigurationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">What is wrong, naming the configuration path.</param>
    /// <param name="innerException">The cause.</param>
    public ProxySqlConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for the value at <paramref name="path"/>.</summary>
    /// <param name="path">The configuration path of the bad value, e.g. <c>ProxySql:Peers:Edge2:Weight</c>.</param>
    /// <param name="message">What is wrong and what to do.</param>
    public ProxySqlConfigurationException(string path, string message)
        : base($"{path}: {message}") => Path = path;

    /// <summary>The configuration path of the bad value, when one value is at fault.</summary>
    public string? Path { get; }
}
