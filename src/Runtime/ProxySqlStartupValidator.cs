using Microsoft.Extensions.Options;

namespace ProxySql;

/// <summary>Creates the databases when the host validates its options, and turns a configuration error into a validation failure.</summary>
/// <typeparam name="T">The generated class.</typeparam>
internal sealed class ProxySqlStartupValidator<T>(string name, Func<T> resolve) : IValidateOptions<ProxySqlStartupValidation<T>>
    where T : ProxySqlDatabases
{
    public ValidateOptionsResult Validate(string? name1, ProxySqlStartupValidation<T> options)
    {
        if (!string.Equals(name1 ?? Options.DefaultName, name, StringComparison.Ordinal))
            return ValidateOptionsResult.Skip;
        try
        {
            resolve();
            return ValidateOptionsResult.Success;
        }
        catch (ProxySqlConfigurationException ex)
        {
            // The message names the configuration path and never holds a secret.
            return ValidateOptionsResult.Fail(ex.Message);
        }
    }
}
