using System.Data.Common;
using CsCheck;
using Microsoft.Extensions.Configuration;
using ProxySql.ReliabilityTests.Infrastructure;
using Xunit.Abstractions;

namespace ProxySql.ReliabilityTests;

/// <summary>
/// Random hostile configuration trees fed to the generated <c>Create</c> (property tests, CsCheck): only
/// <see cref="ProxySqlConfigurationException"/> escapes, its message names a configuration path, and the password
/// never shows up anywhere the library writes. A configuration that is accepted must also open (and fail over) and
/// dispose without anything but a <see cref="DbException"/> escaping. CsCheck prints its seed on a failure;
/// <c>PROXYSQL_CHAOS_SEED=&lt;that seed&gt;</c> replays it.
/// </summary>
public sealed class HostileConfigurationTests(ITestOutputHelper output)
{
    private const int Iterations = 200;
    private static readonly TimeSpan OpenBound = TimeSpan.FromSeconds(10);
    private static long s_accepted;
    private static long s_rejected;

    [Fact]
    public void Hostile_configuration_fails_only_with_a_configuration_exception_that_names_the_path_and_hides_the_password()
    {
        s_accepted = 0;
        s_rejected = 0;
        HostileConfiguration.Tree.Sample(
            tree => CheckCreate(tree).GetAwaiter().GetResult(),
            writeLine: output.WriteLine,
            seed: ChaosSeed.CsCheckSeed(),
            iter: Iterations,
            threads: 1,
            print: HostileConfiguration.Print);
        output.WriteLine($"hostile configuration: {Iterations} trees, {s_accepted} accepted (each opened and disposed), {s_rejected} rejected with a configuration exception");
        Assert.True(s_accepted > 0 && s_rejected > 0, $"the generator produced {s_accepted} accepted and {s_rejected} rejected trees: it no longer exercises both paths");
    }

    /// <summary>Values the property test found: once an OverflowException from Create, or an ArgumentOutOfRangeException from a later open.</summary>
    [Theory]
    [InlineData("CheckInterval", "-1e308")]
    [InlineData("CheckInterval", "-99999999999999999999")]
    [InlineData("CheckInterval", "4.6e11")]
    [InlineData("HedgeDelay", "1e7")]
    [InlineData("ProbeInterval", "1e7")]
    public void Interval_beyond_what_timers_and_dates_can_hold_is_a_configuration_error_naming_its_path(string setting, string value)
    {
        var tree = HostileConfiguration.Valid();
        tree[$"ProxySql:{setting}"] = value;

        var exception = Assert.Throws<ProxySqlConfigurationException>(() => ChaosDatabases.Create(new ConfigurationBuilder().AddInMemoryCollection(tree).Build(), timeProvider: TimeProvider.System));

        Assert.Equal($"ProxySql:{setting}", exception.Path);
        SecretAssert.Absent(exception.ToString(), "configuration exception");
    }

    [Fact]
    public void Hostile_reload_keeps_the_last_good_configuration_logs_the_path_and_hides_the_password()
    {
        s_accepted = 0;
        s_rejected = 0;
        HostileConfiguration.Tree.Sample(
            tree => CheckReload(tree).GetAwaiter().GetResult(),
            writeLine: output.WriteLine,
            seed: ChaosSeed.CsCheckSeed(),
            iter: Iterations / 2,
            threads: 1,
            print: HostileConfiguration.Print);
        output.WriteLine($"hostile reload: {Iterations / 2} reloads, {s_accepted} applied, {s_rejected} rejected");
        Assert.True(s_accepted > 0 && s_rejected > 0, $"the generator produced {s_accepted} valid and {s_rejected} invalid reloads: it no longer exercises both paths");
    }

    /// <summary>Starts on the valid baseline, reloads <paramref name="tree"/>, and compares with what <c>Create</c> makes of it.</summary>
    private static async Task CheckReload(Dictionary<string, string?> tree)
    {
        // What a fresh start makes of the tree decides whether the reload must apply or be rejected.
        ProxySqlConfigurationException? rejection = null;
        (int Weight, bool Enabled)[]? expected = null;
        try
        {
            await using var fresh = ChaosDatabases.Create(new ConfigurationBuilder().AddInMemoryCollection(tree).Build(), timeProvider: TimeProvider.System);
            expected = [.. fresh.Peers.Select(p => (p.Weight, p.Enabled))];
        }
        catch (ProxySqlConfigurationException ex)
        {
            rejection = ex;
        }

        using var capture = new TelemetryCapture();
        var configuration = new SwappableConfiguration(HostileConfiguration.Valid());
        await using var databases = ChaosDatabases.Create(configuration.Root, capture.LoggerFactory, TimeProvider.System);
        var before = databases.Peers.Select(p => (p.Weight, p.Enabled)).ToArray();
        try
        {
            configuration.Swap(tree);
        }
        catch (Exception ex)
        {
            throw new InvalidOperationException($"the reload threw {ex.GetType().Name} into the code that reloaded the configuration: {ex}", ex);
        }

        var after = databases.Peers.Select(p => (p.Weight, p.Enabled)).ToArray();
        var reloadLogs = capture.LogRecords.Where(r => r.Message.Contains("configuration reload", StringComparison.OrdinalIgnoreCase)).ToList();
        if (rejection is not null)
        {
            Interlocked.Increment(ref s_rejected);
            if (!before.SequenceEqual(after))
                throw new InvalidOperationException($"an invalid reload changed the peers from {string.Join(",", before)} to {string.Join(",", after)} instead of keeping the last good configuration ({rejection.Message})");
            var rejected = reloadLogs.SingleOrDefault(r => r.Level >= Microsoft.Extensions.Logging.LogLevel.Warning)
                ?? throw new InvalidOperationException($"an invalid reload was not logged as rejected ({rejection.Message}); logs: {string.Join(" | ", capture.LogRecords.Select(r => r.Message))}");
            SecretAssert.NamesAPath(new ProxySqlConfigurationException(rejected.Message));
        }
        else
        {
            Interlocked.Increment(ref s_accepted);
            if (!expected!.SequenceEqual(after))
                throw new InvalidOperationException($"a valid reload left the peers at {string.Join(",", after)}; a fresh start gives {string.Join(",", expected!)}");
        }

        try
        {
            await using var connection = await databases.OpenConnectionAsync().AsTask().WaitAsync(OpenBound);
        }
        catch (DbException ex)
        {
            SecretAssert.Absent(ex.ToString(), "open exception after a reload");
        }
        catch (Exception ex) when (ex is not TimeoutException)
        {
            throw new InvalidOperationException($"after a reload OpenConnectionAsync threw {ex.GetType().Name}, not a DbException: {ex}", ex);
        }

        SecretAssert.Absent(databases.DataSource.ConnectionString, "DataSource.ConnectionString after a reload");
        SecretAssert.Absent(capture);
    }

    private static async Task CheckCreate(Dictionary<string, string?> tree)
    {
        using var capture = new TelemetryCapture();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(tree).Build();
        ChaosDatabases databases;
        try
        {
            databases = ChaosDatabases.Create(configuration, capture.LoggerFactory, TimeProvider.System);
        }
        catch (ProxySqlConfigurationException ex)
        {
            Interlocked.Increment(ref s_rejected);
            SecretAssert.NamesAPath(ex);
            SecretAssert.Absent(ex.ToString(), "configuration exception");
            SecretAssert.Absent(capture);
            return;
        }
        catch (Exception ex)
        {
            throw new InvalidOperationException($"Create threw {ex.GetType().Name}, not ProxySqlConfigurationException: {ex}", ex);
        }

        Interlocked.Increment(ref s_accepted);
        try
        {
            SecretAssert.Absent(databases.DataSource.ConnectionString, "DataSource.ConnectionString");
            try
            {
                // Nothing listens on port 9: every attempt fails and the caller gets a DbException, nothing else.
                var connection = await databases.OpenConnectionAsync().AsTask().WaitAsync(OpenBound);
                await connection.DisposeAsync();
            }
            catch (DbException ex)
            {
                SecretAssert.Absent(ex.ToString(), "open exception");
            }
            catch (Exception ex) when (ex is not TimeoutException)
            {
                throw new InvalidOperationException($"an accepted configuration made OpenConnectionAsync throw {ex.GetType().Name}, not a DbException: {ex}", ex);
            }

            foreach (var peer in databases.Peers)
                SecretAssert.Absent($"{peer} {peer.LastError}", "peer " + peer.Name);
        }
        finally
        {
            await databases.DisposeAsync().AsTask().WaitAsync(OpenBound);
        }

        SecretAssert.Absent(capture);
    }
}
