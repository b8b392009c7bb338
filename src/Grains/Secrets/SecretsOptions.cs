namespace Dagen.Grains.Secrets;

/// <summary>
/// The section <c>Secrets</c>: the AES-GCM key ring that seals channel secrets at rest. Keys live in
/// configuration (environment, a secret store), never beside the data they protect.
/// </summary>
public sealed class SecretsOptions
{
    public const string SectionName = "Secrets";

    /// <summary>
    /// <c>Secrets:ActiveKeyId</c>: the key that seals new values. Required; no default.
    /// </summary>
    public string? ActiveKeyId { get; set; }

    /// <summary>
    /// <c>Secrets:Keys:&lt;id&gt;</c>: base64 of 32 random bytes per key id. Keep retired keys here until every
    /// channel has been saved again, or values sealed with them can no longer be read.
    /// </summary>
    public Dictionary<string, string> Keys { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}
