namespace ProxySql;

/// <summary>
/// An options type with nothing in it: validating it (at host start, through <c>ValidateOnStart</c>) creates the
/// databases of <typeparamref name="T"/>, so a bad configuration stops the host instead of failing every request later.
/// </summary>
/// <typeparam name="T">The generated class.</typeparam>
internal sealed class ProxySqlStartupValidation<T>
    where T : ProxySqlDatabases
{
}
