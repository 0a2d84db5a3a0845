namespace ProxySql.Testing;

/// <summary>A process started under <see cref="ScratchSpace"/> that must be killed when the test process exits.</summary>
internal interface IScratchProcess
{
    /// <summary>Kills the process synchronously (at process exit there is no time for anything else).</summary>
    void KillNow();
}
