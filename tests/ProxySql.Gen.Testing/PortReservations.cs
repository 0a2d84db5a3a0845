using System.Collections.Concurrent;

namespace ProxySql.Testing;

/// <summary>
/// The ports handed out to servers, nodes and relays, held for the life of the test process and visible to every other
/// test process on the machine.
/// </summary>
/// <remarks>
/// A port that is free now is not necessarily unowned: a paused relay, a killed ProxySQL node or a stopped MariaDB binds
/// its port again later, and test projects run side by side. Without a reservation another server could take that port
/// in between, and a test would then talk to the wrong process (a restarted node answering "Access denied for user
/// 'admin'", a handshake reset by somebody else's killed relay). A reservation is a file named after the port, created
/// atomically in a folder shared by all test processes, holding the name of the owner's run folder; it is stale once
/// that folder is gone (the owner exited, or died and was swept).
/// </remarks>
internal static class PortReservations
{
    private static readonly ConcurrentDictionary<int, byte> Mine = new();
    private static readonly Lazy<string> LazyFolder = new(CreateFolder, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The folder shared by every test process, one file per reserved port.</summary>
    public static string Folder => LazyFolder.Value;

    /// <summary>Reserves <paramref name="port"/> for this process; false when this or another live test process holds it.</summary>
    public static bool TryReserve(int port)
    {
        if (!Mine.TryAdd(port, 0))
        {
            return false;
        }

        string path = Path.Combine(Folder, port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        string owner = Path.GetFileName(ScratchSpace.RunDirectory);
        for (int attempt = 0; attempt < 2; attempt++)
        {
            try
            {
                using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
                using var writer = new StreamWriter(file);
                writer.Write(owner);
                return true;
            }
            catch (IOException) when (File.Exists(path))
            {
                if (!IsStale(path))
                {
                    return false; // held by another live test process; Mine keeps it so that we never try it again
                }

                TryDelete(path);
            }
        }

        return false;
    }

    private static bool IsStale(string path)
    {
        try
        {
            string owner = File.ReadAllText(path).Trim();

            // A file being written has no owner yet: treat it as held.
            return owner.Length > 0 && !Directory.Exists(Path.Combine(Path.GetDirectoryName(ScratchSpace.RunDirectory)!, owner));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static string CreateFolder()
    {
        string folder = Path.Combine(Path.GetDirectoryName(ScratchSpace.RunDirectory)!, "ports");
        Directory.CreateDirectory(folder);

        // The test host is often ended without ProcessExit: sweep what dead processes left, once per process.
        foreach (string path in Directory.EnumerateFiles(folder))
        {
            if (IsStale(path))
            {
                TryDelete(path);
            }
        }

        AppDomain.CurrentDomain.ProcessExit += (_, _) => ReleaseAll(folder);
        return folder;
    }

    private static void ReleaseAll(string folder)
    {
        foreach (int port in Mine.Keys)
        {
            string path = Path.Combine(folder, port.ToString(System.Globalization.CultureInfo.InvariantCulture));
            try
            {
                if (File.Exists(path) && File.ReadAllText(path).Trim() == Path.GetFileName(ScratchSpace.RunDirectory))
                {
                    TryDelete(path);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // best effort: a file left behind is stale as soon as our run folder is gone
            }
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // another process swept it first
        }
    }
}
