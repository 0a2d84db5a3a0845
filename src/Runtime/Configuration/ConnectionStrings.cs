using System.Data.Common;
using System.Globalization;
using MySqlConnector;

namespace ProxySql.Configuration;

/// <summary>Parses, merges and redacts connection strings without ever putting a secret in a message.</summary>
internal static class ConnectionStrings
{
    private static readonly string[] s_secretKeys = ["password", "pwd", "certificate password", "certificatepassword"];

    /// <summary>Parses <paramref name="text"/> into <paramref name="target"/>, key by key, so an error can name the key.</summary>
    public static void MergeInto(MySqlConnectionStringBuilder target, string? text, string path)
    {
        if (string.IsNullOrWhiteSpace(text))
            return;

        var generic = new DbConnectionStringBuilder();
        try
        {
            generic.ConnectionString = text;
        }
        catch (ArgumentException)
        {
            // The framework's message only gives an index; it never echoes the text.
            throw new ProxySqlConfigurationException(path, "is not a valid connection string (expected key=value pairs separated by ';'). Fix its syntax.");
        }

        foreach (string key in generic.Keys)
        {
            var value = generic[key];
            try
            {
                target[key] = value;
            }
            catch (ArgumentException ex)
            {
                var detail = IsSecret(key) ? "its value is invalid" : ex.Message;
                throw new ProxySqlConfigurationException(path, $"option '{key}' is not accepted by MySqlConnector: {detail}. Fix or remove it.");
            }
        }
    }

    public static bool IsSecret(string key) => s_secretKeys.Contains(key.Trim(), StringComparer.OrdinalIgnoreCase);

    /// <summary>The connection string with every secret removed.</summary>
    public static string Redact(MySqlConnectionStringBuilder builder)
    {
        var copy = new MySqlConnectionStringBuilder(builder.ConnectionString);
        if (copy.ContainsKey("Password"))
            copy.Remove("Password");
        if (copy.ContainsKey("Certificate Password"))
            copy.Remove("Certificate Password");
        return copy.ConnectionString;
    }

    public static string Endpoint(MySqlConnectionStringBuilder builder) =>
        string.IsNullOrEmpty(builder.Server) ? "(no server)" : string.Create(CultureInfo.InvariantCulture, $"{builder.Server}:{builder.Port}");
}
