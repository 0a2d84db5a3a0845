using System.Globalization;

namespace ProxySql.ReliabilityTests.Infrastructure;

/// <summary>
/// The seed of a randomised test: <c>PROXYSQL_CHAOS_SEED</c> when set (to reproduce a failure), otherwise a fresh one.
/// Every failure message carries it through <see cref="ToString"/>.
/// </summary>
/// <remarks>
/// A seed reproduces the random choices (fault schedule, mutations, cancellation delays), not the thread
/// interleaving of a run on real sockets: a timing-dependent failure may need a few runs with its seed.
/// </remarks>
internal sealed class ChaosSeed
{
    public const string Variable = "PROXYSQL_CHAOS_SEED";

    private ChaosSeed(int value, bool fromEnvironment)
    {
        Value = value;
        FromEnvironment = fromEnvironment;
    }

    public int Value { get; }

    public bool FromEnvironment { get; }

    /// <summary>The seed from <c>PROXYSQL_CHAOS_SEED</c> if it is an integer, else a new random one.</summary>
    public static ChaosSeed Resolve()
    {
        var text = Environment.GetEnvironmentVariable(Variable);
        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
            return new ChaosSeed(value, fromEnvironment: true);
        return new ChaosSeed(Random.Shared.Next(), fromEnvironment: false);
    }

    /// <summary>
    /// The seed for CsCheck: <c>PROXYSQL_CHAOS_SEED</c> when it holds a CsCheck seed (not an integer), as printed by
    /// CsCheck on a failure; otherwise <see langword="null"/>, so CsCheck picks one and prints it on a failure.
    /// </summary>
    public static string? CsCheckSeed()
    {
        var text = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(text) || int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out _))
            return null;
        return text.Trim();
    }

    public Random NewRandom() => new(Value);

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"seed {Value}{(FromEnvironment ? " (from " + Variable + ")" : string.Empty)}; reproduce with {Variable}={Value}");
}
