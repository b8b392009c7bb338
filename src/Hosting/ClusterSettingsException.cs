namespace Dagen.Hosting;

/// <summary>A cluster setting is missing or wrong. The message is one line that names it and the fix.</summary>
public sealed class ClusterSettingsException(string message) : Exception(message);
