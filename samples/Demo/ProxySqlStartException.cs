namespace ProxySql.Demo;

/// <summary>A ProxySQL node of the demo did not start or did not answer; the message names the binary and the log.</summary>
internal sealed class ProxySqlStartException(string message) : Exception(message);
