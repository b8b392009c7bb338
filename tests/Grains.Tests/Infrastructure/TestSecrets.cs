namespace Dagen.Grains.Tests.Infrastructure;

/// <summary>Key material made for tests only.</summary>
public static class TestSecrets
{
    /// <summary>32 bytes, base64: the key ring entry tests give silos.</summary>
    public const string Key = "dGVzdC1vbmx5LWtleS0wMDAwMDAwMDAwMDAwMDAwMDA=";
}
