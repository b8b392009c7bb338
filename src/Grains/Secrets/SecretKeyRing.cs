using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Dagen.Grains.Secrets;

/// <summary>
/// Seals and opens secrets with AES-GCM (256-bit keys, 96-bit random nonce, 128-bit tag). A sealed value reads
/// <c>v1:&lt;keyId&gt;:&lt;base64(nonce | tag | ciphertext)&gt;</c>: the key id travels with it, so values sealed
/// before a key rotation still open as long as their key stays in <c>Secrets:Keys</c>. The purpose (for
/// example the channel id and field) is bound as associated data, so a sealed value copied to another channel
/// or field does not open.
/// </summary>
public sealed class SecretKeyRing
{
    internal const int KeySize = 32;

    private const string Version = "v1";
    private const int NonceSize = 12;
    private const int TagSize = 16;

    private readonly Dictionary<string, byte[]> _keys;
    private readonly string _activeKeyId;

    public SecretKeyRing(IOptions<SecretsOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var value = options.Value;
        _activeKeyId = value.ActiveKeyId
            ?? throw new InvalidOperationException(
                $"Secrets:ActiveKeyId is not set. {SecretsOptionsValidator.HowToCreate}");
        _keys = value.Keys.ToDictionary(
            pair => pair.Key, pair => Convert.FromBase64String(pair.Value.Trim()), StringComparer.OrdinalIgnoreCase);
        if (!_keys.ContainsKey(_activeKeyId))
        {
            throw new InvalidOperationException(
                $"Secrets:Keys:{_activeKeyId} is not set. {SecretsOptionsValidator.HowToCreate}");
        }
    }

    /// <summary>The id of the key that <see cref="Seal"/> uses.</summary>
    public string ActiveKeyId => _activeKeyId;

    public static bool IsValidKeyId(string? id) =>
        !string.IsNullOrEmpty(id) && id.Length <= 32 && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    /// <summary>Seals <paramref name="plaintext"/> with the active key, bound to <paramref name="purpose"/>.</summary>
    public string Seal(string plaintext, string purpose)
    {
        ArgumentNullException.ThrowIfNull(plaintext);
        ArgumentNullException.ThrowIfNull(purpose);
        var clear = Encoding.UTF8.GetBytes(plaintext);
        var buffer = new byte[NonceSize + TagSize + clear.Length];
        var nonce = buffer.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);

        using (var aes = new AesGcm(_keys[_activeKeyId], TagSize))
        {
            aes.Encrypt(
                nonce,
                clear,
                buffer.AsSpan(NonceSize + TagSize),
                buffer.AsSpan(NonceSize, TagSize),
                Encoding.UTF8.GetBytes(purpose));
        }

        CryptographicOperations.ZeroMemory(clear);
        return $"{Version}:{_activeKeyId}:{Convert.ToBase64String(buffer)}";
    }

    /// <summary>
    /// Opens a value <see cref="Seal"/> made for the same <paramref name="purpose"/>. Throws
    /// <see cref="SecretUnavailableException"/> when its key is not configured or the value was altered; the
    /// message never holds the value.
    /// </summary>
    public string Open(string sealedValue, string purpose)
    {
        ArgumentNullException.ThrowIfNull(sealedValue);
        ArgumentNullException.ThrowIfNull(purpose);
        var parts = sealedValue.Split(':', 3);
        if (parts.Length != 3 || parts[0] != Version)
        {
            throw new SecretUnavailableException(null, "the stored value is not in the sealed format");
        }

        var keyId = parts[1];
        if (!_keys.TryGetValue(keyId, out var key))
        {
            throw new SecretUnavailableException(
                keyId, $"it was sealed with key '{keyId}', which is not configured; put that key back in "
                + $"Secrets:Keys:{keyId}");
        }

        byte[] buffer;
        try
        {
            buffer = Convert.FromBase64String(parts[2]);
        }
        catch (FormatException)
        {
            throw new SecretUnavailableException(keyId, "the stored value is not valid base64");
        }

        if (buffer.Length < NonceSize + TagSize)
        {
            throw new SecretUnavailableException(keyId, "the stored value is too short");
        }

        var clear = new byte[buffer.Length - NonceSize - TagSize];
        try
        {
            using var aes = new AesGcm(key, TagSize);
            aes.Decrypt(
                buffer.AsSpan(0, NonceSize),
                buffer.AsSpan(NonceSize + TagSize),
                buffer.AsSpan(NonceSize, TagSize),
                clear,
                Encoding.UTF8.GetBytes(purpose));
            return Encoding.UTF8.GetString(clear);
        }
        catch (AuthenticationTagMismatchException)
        {
            throw new SecretUnavailableException(
                keyId, $"it does not open with key '{keyId}' (altered, or that key's material changed)");
        }
        finally
        {
            CryptographicOperations.ZeroMemory(clear);
        }
    }

    /// <summary>The key id a sealed value names, or null when it is not in the sealed format.</summary>
    public static string? KeyIdOf(string sealedValue)
    {
        ArgumentNullException.ThrowIfNull(sealedValue);
        var parts = sealedValue.Split(':', 3);
        return parts.Length == 3 && parts[0] == Version ? parts[1] : null;
    }
}

/// <summary>A stored secret cannot be opened. The message says why and never holds the secret.</summary>
public sealed class SecretUnavailableException(string? keyId, string reason)
    : Exception($"A stored secret cannot be read: {reason}.")
{
    public string? KeyId { get; } = keyId;
}
