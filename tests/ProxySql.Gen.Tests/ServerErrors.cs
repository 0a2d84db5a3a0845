using System.Reflection;
using MySqlConnector;

namespace ProxySql.Tests;

/// <summary>
/// Server errors as the driver raises them from an error packet. MySqlConnector has no public constructor for
/// <see cref="MySqlException"/>, so this uses its own non-public (code, message) one; the object is the real type.
/// </summary>
internal static class ServerErrors
{
    public static MySqlException Create(int number, string message)
    {
        var constructor = typeof(MySqlException).GetConstructor(BindingFlags.NonPublic | BindingFlags.Instance, [typeof(MySqlErrorCode), typeof(string)])
            ?? throw new InvalidOperationException("MySqlConnector no longer has MySqlException(MySqlErrorCode, string); update ServerErrors.");
        var error = (MySqlException)constructor.Invoke([(MySqlErrorCode)number, message]);
        return error.Number == number ? error : throw new InvalidOperationException($"MySqlException(MySqlErrorCode, string) did not keep the number {number}.");
    }
}
