namespace ProxySql.Testing;

/// <summary>
/// One <see cref="MariaDbServer"/> per test process, started on first use and removed when the process
/// exits, so test classes running in parallel share a server (xunit 2 has no assembly fixtures).
/// </summary>
/// <remarks>
/// The shared server cannot be stopped, killed or disposed by a test; a test that needs to do that
/// starts its own <see cref="MariaDbServer"/>. Tests that share it should use their own tables.
/// </remarks>
public static class SharedMariaDb
{
    private static readonly Lazy<Task<MariaDbServer>> Server = new(StartAsync, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Returns the shared server, starting it on the first call.</summary>
    /// <returns>The running shared server.</returns>
    /// <exception cref="MariaDbStartException">The server could not be started (the same error for every caller).</exception>
    public static Task<MariaDbServer> GetAsync() => Server.Value;

    private static async Task<MariaDbServer> StartAsync()
    {
        MariaDbServer server = await MariaDbServer.StartAsync().ConfigureAwait(false);
        server.IsShared = true;
        return server;
    }
}
