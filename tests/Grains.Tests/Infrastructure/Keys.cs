namespace Dagen.Grains.Tests.Infrastructure;

/// <summary>Fresh grain keys, so that each test works on grains no other test touches.</summary>
public static class Keys
{
    public static string New(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 13, 64)];
}
