using System.Globalization;
using System.Reflection;

namespace ProxySql.PackageTests;

/// <summary>
/// Packs src/Runtime once into a folder feed with a unique version, and lays out a consumer project that
/// restores it (into its own packages folder, so no cache hides a change). Deleted on dispose.
/// </summary>
public sealed class PackedConsumer : IAsyncLifetime
{
    public static readonly TimeSpan Deadline = TimeSpan.FromMinutes(6);

    public const string ValidSettings = """
        {
          "ProxySql": {
            "ConnectionString": "Database=app;User ID=app;Password=not-a-real-one",
            "Peers": {
              "Edge1": { "ConnectionString": "Server=127.0.0.1;Port=9" },
              "Edge2": { "ConnectionString": "Server=127.0.0.1;Port=9", "Weight": 2 },
              "proxysql-c": { "ConnectionString": "Server=127.0.0.1;Port=9", "Enabled": false }
            }
          }
        }
        """;

    private const string Program = """
        using Microsoft.Extensions.Configuration;
        using ProxySql;

        var configuration = new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json")
            .Build();
        await using var databases = AppDatabases.Create(configuration);
        foreach (var peer in databases.Peers)
        {
            Console.WriteLine($"peer {peer.Name} key={peer.ConfigurationKey} weight={peer.Weight}");
        }

        Console.WriteLine($"typed {databases.Edge3.Name} {AppDatabases.PeerNames.Edge3}");

        /// <summary>The consumer's databases.</summary>
        [ProxySqlDatabases("ProxySql", CheckInterval = "00:00:30")]
        public partial class AppDatabases
        {
            /// <summary>Edge 1.</summary>
            public partial ProxySqlPeer Edge1 { get; }

            /// <summary>Edge 2.</summary>
            public partial ProxySqlPeer Edge2 { get; }

            /// <summary>Edge 3.</summary>
            [Peer("proxysql-c")]
            public partial ProxySqlPeer Edge3 { get; }
        }
        """;

    /// <summary>The configuration this test assembly (and so the referenced runtime and generator) was built in.</summary>
    private static string BuildConfiguration =>
        typeof(PackedConsumer).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "proxysql-package-" + Guid.NewGuid().ToString("N")[..12]);

    public string Version { get; } = "0.1.0-pkgtest." + DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);

    public string ProjectDirectory => Path.Combine(Root, "consumer");

    public string PackOutput { get; private set; } = string.Empty;

    public string RestoreOutput { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        var feed = Path.Combine(Root, "feed");
        Directory.CreateDirectory(feed);
        Directory.CreateDirectory(ProjectDirectory);

        var (packExit, packOutput) = await DotnetCli.RunAsync(
            RepositoryRoot(),
            Deadline,
            "pack",
            Path.Combine(RepositoryRoot(), "src", "Runtime", "ProxySql.Gen.csproj"),
            "--no-build",
            "-c",
            BuildConfiguration,
            "-o",
            feed,
            $"-p:PackageVersion={Version}",
            $"-p:NuspecOutputPath={Path.Combine(Root, "nuspec")}{Path.DirectorySeparatorChar}",
            "-v",
            "q");
        PackOutput = packOutput;
        if (packExit != 0)
        {
            throw new InvalidOperationException($"dotnet pack failed:\n{packOutput}");
        }

        await File.WriteAllTextAsync(Path.Combine(ProjectDirectory, "nuget.config"), NuGetConfig(feed));
        await File.WriteAllTextAsync(Path.Combine(ProjectDirectory, "Consumer.csproj"), Project());
        await File.WriteAllTextAsync(Path.Combine(ProjectDirectory, "Program.cs"), Program);
        await WriteSettingsAsync(ValidSettings);

        var (restoreExit, restoreOutput) = await DotnetCli.RunAsync(ProjectDirectory, Deadline, "restore", "--packages", Path.Combine(Root, "packages"), "--disable-build-servers");
        RestoreOutput = restoreOutput;
        if (restoreExit != 0)
        {
            throw new InvalidOperationException($"dotnet restore failed:\n{restoreOutput}");
        }
    }

    public Task WriteSettingsAsync(string json) => File.WriteAllTextAsync(Path.Combine(ProjectDirectory, "appsettings.json"), json);

    public Task<(int ExitCode, string Output)> BuildAsync(params string[] properties) =>
        DotnetCli.RunAsync(ProjectDirectory, Deadline, ["build", "--no-restore", "--disable-build-servers", "-v", "q", "-clp:NoSummary", .. properties]);

    public Task DisposeAsync()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp folder must not fail the run.
        }

        return Task.CompletedTask;
    }

    /// <summary>The repository, found from the test binaries ([CallerFilePath] is mapped away in CI builds).</summary>
    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "ProxySql.Gen.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"no ProxySql.Gen.sln above {AppContext.BaseDirectory}");
    }

    private string Project() => $"""
        <Project Sdk="Microsoft.NET.Sdk">
          <PropertyGroup>
            <OutputType>Exe</OutputType>
            <TargetFramework>net10.0</TargetFramework>
            <Nullable>enable</Nullable>
            <ImplicitUsings>enable</ImplicitUsings>
            <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
            <GenerateDocumentationFile>true</GenerateDocumentationFile>
          </PropertyGroup>
          <ItemGroup>
            <PackageReference Include="ProxySql.Gen" Version="{Version}" />
            <PackageReference Include="Microsoft.Extensions.Configuration.Json" Version="10.0.0" />
          </ItemGroup>
          <ItemGroup>
            <None Update="appsettings.json" CopyToOutputDirectory="PreserveNewest" />
          </ItemGroup>
        </Project>
        """;

    private static string NuGetConfig(string feed)
    {
        // The machine's global packages folder is a valid folder feed: it spares downloads of MySqlConnector etc.
        var globalPackages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var cache = Directory.Exists(globalPackages) ? $"""    <add key="machine-cache" value="{globalPackages}" />""" : string.Empty;
        return $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="proxysql-local" value="{feed}" />
            {cache}
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
              </packageSources>
            </configuration>
            """;
    }
}
