using System.Buffers.Text;
using Microsoft.Extensions.Options;

namespace Dagen.Grains.Secrets;

/// <summary>Refuses a missing or malformed key ring at start-up with a message that says how to make one.</summary>
internal sealed class SecretsOptionsValidator : IValidateOptions<SecretsOptions>
{
    internal const string HowToCreate =
        "Create a key with `openssl rand -base64 32`, put it in Secrets:Keys:<id> (env Secrets__Keys__<id>) "
        + "and set Secrets:ActiveKeyId to <id> (env Secrets__ActiveKeyId).";

    public ValidateOptionsResult Validate(string? name, SecretsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();

        if (string.IsNullOrWhiteSpace(options.ActiveKeyId))
        {
            failures.Add($"Secrets:ActiveKeyId is not set, so channel secrets cannot be stored. {HowToCreate}");
        }
        else if (!SecretKeyRing.IsValidKeyId(options.ActiveKeyId))
        {
            failures.Add($"Secrets:ActiveKeyId '{options.ActiveKeyId}' is not a valid key id; use up to 32 "
                + "letters, digits, '-' or '_'.");
        }
        else if (!options.Keys.ContainsKey(options.ActiveKeyId))
        {
            failures.Add($"Secrets:ActiveKeyId is '{options.ActiveKeyId}' but Secrets:Keys:{options.ActiveKeyId} "
                + $"is not set. {HowToCreate}");
        }

        foreach (var (id, value) in options.Keys)
        {
            if (!SecretKeyRing.IsValidKeyId(id))
            {
                failures.Add($"Secrets:Keys has a key named '{id}'; name keys with up to 32 letters, digits, '-' "
                    + "or '_'.");
            }
            else if (!IsKeyMaterial(value))
            {
                failures.Add($"Secrets:Keys:{id} is not the base64 of 32 bytes. Replace it with the output of "
                    + "`openssl rand -base64 32`.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsKeyMaterial(string? value) =>
        !string.IsNullOrWhiteSpace(value)
        && Base64.IsValid(value.Trim(), out var length)
        && length == SecretKeyRing.KeySize;
}
