using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;

namespace ProxySql.Diagnostics;

/// <summary>
/// The logger factory handed to MySqlConnector's data sources. The driver logs connection strings without
/// <c>Password</c> but with <c>Certificate Password</c> (e.g. "Creating new connection pool … for …"); every
/// <c>…password…=value</c> in a message or a string state value is replaced with <c>***</c> before it reaches the app.
/// </summary>
internal sealed partial class SecretScrubbingLoggerFactory(ILoggerFactory inner) : ILoggerFactory
{
    public ILogger CreateLogger(string categoryName) => new ScrubbingLogger(inner.CreateLogger(categoryName));

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    public void Dispose()
    {
        // The app owns the inner factory.
    }

    /// <summary>The text with the value of every connection-string option whose name contains "password" hidden.</summary>
    internal static string Scrub(string text) =>
        text.Contains("password", StringComparison.OrdinalIgnoreCase) ? SecretOption().Replace(text, "$1=***") : text;

    [GeneratedRegex("([^;=]*password[^;=]*)=([^;]*)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SecretOption();

    private sealed class ScrubbingLogger(ILogger inner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!inner.IsEnabled(logLevel))
                return;
            var message = formatter(state, exception);
            var scrubbed = Scrub(message);
            if (ReferenceEquals(scrubbed, message) && !HasSecretValue(state))
            {
                inner.Log(logLevel, eventId, state, exception, formatter);
                return;
            }

            var values = new List<KeyValuePair<string, object?>>();
            if (state is IEnumerable<KeyValuePair<string, object?>> pairs)
            {
                foreach (var (key, value) in pairs)
                    values.Add(new(key, value is string text ? Scrub(text) : value));
            }

            inner.Log(logLevel, eventId, values, exception, (_, _) => scrubbed);
        }

        private static bool HasSecretValue<TState>(TState state)
        {
            if (state is not IEnumerable<KeyValuePair<string, object?>> pairs)
                return false;
            foreach (var (_, value) in pairs)
            {
                if (value is string text && !ReferenceEquals(Scrub(text), text))
                    return true;
            }

            return false;
        }
    }
}
