namespace ProxySql.Testing;

/// <summary>
/// Where the real <c>proxysql</c> binary is: the <c>PROXYSQL_BIN</c> environment variable, or
/// <c>../shared/proxysql/proxysql</c> relative to the repository root (the folder holding <c>ProxySql.Gen.sln</c>).
/// </summary>
public static class ProxySqlBinary
{
    /// <summary>The environment variable that names the binary.</summary>
    public const string Variable = "PROXYSQL_BIN";

    private const string SolutionFile = "ProxySql.Gen.sln";
    private static readonly string DefaultRelativePath = Path.Combine("..", "shared", "proxysql", "proxysql");

    /// <summary>Whether the binary exists where <see cref="Resolve"/> looks.</summary>
    public static bool IsAvailable => File.Exists(Resolve());

    /// <summary>The default path: <c>../shared/proxysql/proxysql</c> from the repository root, or a description when no root is found.</summary>
    public static string DefaultPath
    {
        get
        {
            string? root = FindRepositoryRoot();
            return root is null
                ? $"<repository root>/{DefaultRelativePath} (no {SolutionFile} above {AppContext.BaseDirectory} or {Environment.CurrentDirectory})"
                : Path.GetFullPath(Path.Combine(root, DefaultRelativePath));
        }
    }

    /// <summary>The path of the binary to run, whether or not it exists.</summary>
    /// <returns><c>PROXYSQL_BIN</c> when set and not blank, else <see cref="DefaultPath"/>.</returns>
    public static string Resolve()
    {
        string? fromEnvironment = Environment.GetEnvironmentVariable(Variable);
        return string.IsNullOrWhiteSpace(fromEnvironment) ? DefaultPath : fromEnvironment.Trim();
    }

    /// <summary>Whether <c>PROXYSQL_BIN</c> is set (not blank): whoever set it wants real ProxySQL, not a stand-in.</summary>
    public static bool IsExplicitlySet => !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(Variable));

    /// <summary>The binary's path when it exists, else <see langword="null"/>; <paramref name="where"/> says where it was looked for.</summary>
    /// <param name="where">Where the binary is (or why there is none), for a message.</param>
    /// <returns>The path of an existing file, or <see langword="null"/>.</returns>
    public static string? Find(out string where)
    {
        string path = Resolve();
        if (File.Exists(path))
        {
            where = IsExplicitlySet ? $"{Variable}={path}" : $"{path} (set {Variable} to use another)";
            return path;
        }

        where = IsExplicitlySet ? $"{Variable}={path} does not exist" : $"no ProxySQL binary at {DefaultPath} and {Variable} is not set";
        return null;
    }

    /// <summary>Returns the binary's path, or throws one message that names both places it looked.</summary>
    /// <param name="explicitPath">A path given in <see cref="ProxySqlNodeOptions.BinaryPath"/>, or <see langword="null"/>.</param>
    /// <returns>The path of an existing file.</returns>
    /// <exception cref="ProxySqlStartException">The binary does not exist.</exception>
    public static string Require(string? explicitPath = null) => Require(explicitPath, Environment.GetEnvironmentVariable(Variable));

    internal static string Require(string? explicitPath, string? fromEnvironment)
    {
        string path = explicitPath ?? (string.IsNullOrWhiteSpace(fromEnvironment) ? DefaultPath : fromEnvironment.Trim());
        if (File.Exists(path))
        {
            return path;
        }

        string where = explicitPath is not null
            ? $"ProxySqlNodeOptions.BinaryPath '{explicitPath}' does not exist"
            : string.IsNullOrWhiteSpace(fromEnvironment)
                ? $"{Variable} is not set and the default '{DefaultPath}' does not exist"
                : $"{Variable}='{fromEnvironment}' does not exist (the default would be '{DefaultPath}')";
        throw new ProxySqlStartException(
            $"The ProxySQL binary was not found: {where}. Set {Variable} to a proxysql 2.x binary (ProxySQL's own packages install " +
            "/usr/bin/proxysql; see README, 'Real ProxySQL in the tests') or put one at the default path.");
    }

    /// <summary>Walks up from the test binaries and the working directory to the folder holding <c>ProxySql.Gen.sln</c>.</summary>
    internal static string? FindRepositoryRoot()
    {
        foreach (string start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
        {
            for (DirectoryInfo? directory = new(start); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, SolutionFile)))
                {
                    return directory.FullName;
                }
            }
        }

        return null;
    }
}
