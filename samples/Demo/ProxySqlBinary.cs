namespace ProxySql.Demo;

/// <summary>
/// Where the real ProxySQL binary is: <c>PROXYSQL_BIN</c>, or <c>../shared/proxysql/proxysql</c> from the current
/// folder (the repository root, where <c>./demo.sh</c> runs it), as the test suites find it.
/// </summary>
internal static class ProxySqlBinary
{
    public const string EnvironmentVariable = "PROXYSQL_BIN";
    public const string DefaultPath = "../shared/proxysql/proxysql";

    /// <summary>
    /// The binary to use, or <see langword="null"/> with <paramref name="why"/> saying why not (missing at the
    /// default path, or <c>PROXYSQL_BIN</c> names no executable file).
    /// </summary>
    public static string? Find(out string why, out bool explicitlySet)
    {
        var configured = Environment.GetEnvironmentVariable(EnvironmentVariable);
        explicitlySet = !string.IsNullOrEmpty(configured);
        var path = Path.GetFullPath(explicitlySet ? configured! : DefaultPath);
        if (File.Exists(path) && !OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0)
        {
            why = explicitlySet ? $"{EnvironmentVariable}={configured}" : $"{DefaultPath} (set {EnvironmentVariable} to use another)";
            return path;
        }

        why = explicitlySet
            ? $"{EnvironmentVariable}={configured} is not an executable file ({path})"
            : $"no ProxySQL binary at {DefaultPath} ({path}) and {EnvironmentVariable} is not set";
        return null;
    }
}
