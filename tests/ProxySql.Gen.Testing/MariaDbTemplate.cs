using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;

namespace ProxySql.Testing;

/// <summary>
/// One initialised datadir per process (and per pair of binaries), copied for every server:
/// <c>mariadb-install-db</c> takes about two seconds, a copy of its ~20 MB output a few milliseconds.
/// </summary>
internal static class MariaDbTemplate
{
    private static readonly ConcurrentDictionary<(string Mariadbd, string InstallDb), Lazy<Task<string>>> Templates = new();
    private static readonly TimeSpan InstallTimeout = TimeSpan.FromSeconds(120);

    /// <summary>Copies the template datadir into <paramref name="dataDirectory"/>, creating the template first if needed.</summary>
    public static async Task CopyToAsync(MariaDbServerOptions options, string dataDirectory, CancellationToken cancellationToken)
    {
        var key = (options.MariadbdPath, options.InstallDbPath);
        Lazy<Task<string>> template = Templates.GetOrAdd(
            key,
            k => new Lazy<Task<string>>(() => Task.Run(() => CreateAsync(k.InstallDb)), LazyThreadSafetyMode.ExecutionAndPublication));
        string source = await template.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
        CopyDirectory(source, dataDirectory);
    }

    private static async Task<string> CreateAsync(string installDb)
    {
        string folder = ScratchSpace.NewInstanceDirectory("template-");
        string data = Path.Combine(folder, "data");
        string tmp = Path.Combine(folder, "tmp");
        Directory.CreateDirectory(tmp);

        var startInfo = new ProcessStartInfo(installDb)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        startInfo.ArgumentList.Add("--no-defaults"); // must be first
        if (MariaDbServer.RunningAsRoot)
        {
            startInfo.ArgumentList.Add("--user=root");
        }

        startInfo.ArgumentList.Add("--datadir=" + data);
        startInfo.ArgumentList.Add("--tmpdir=" + tmp);
        startInfo.ArgumentList.Add("--auth-root-authentication-method=normal");
        startInfo.ArgumentList.Add("--skip-test-db");
        startInfo.ArgumentList.Add("--skip-name-resolve");
        foreach (string argument in MariaDbServer.StorageArguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        var output = new StringBuilder();
        using var process = new Process { StartInfo = startInfo };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var timeout = new CancellationTokenSource(InstallTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new MariaDbStartException(
                $"{installDb} did not finish within {InstallTimeout.TotalSeconds:0} s. Output:\n{Snapshot(output)}");
        }

        if (process.ExitCode != 0)
        {
            throw new MariaDbStartException(
                $"{installDb} failed with exit code {process.ExitCode} while initialising {data}. Output:\n{Snapshot(output)}");
        }

        return data;
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }

    private static string Snapshot(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }

    private static void CopyDirectory(string source, string destination)
    {
        Directory.CreateDirectory(destination);
        foreach (string file in Directory.EnumerateFiles(source))
        {
            File.Copy(file, Path.Combine(destination, Path.GetFileName(file)));
        }

        foreach (string directory in Directory.EnumerateDirectories(source))
        {
            CopyDirectory(directory, Path.Combine(destination, Path.GetFileName(directory)));
        }
    }
}
