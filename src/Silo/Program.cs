using Dagen.Grains.Hosting;
using Dagen.Hosting;
using Dagen.Silo;
using Microsoft.Extensions.Hosting;

// Settings first: a wrong one stops start-up with one line that says what to change.
var builder = Host.CreateApplicationBuilder(
    new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
ClusterSettings settings;
try
{
    settings = ClusterSettings.ReadAndDetach(builder.Configuration);
}
catch (ClusterSettingsException exception)
{
    Console.Error.WriteLine($"Configuration error: {exception.Message}");
    return 2;
}

// The silo: clustering, storage and reminders, then what the grains use.
builder.UseOrleans(silo => silo.UseDagenCluster(settings, builder.Configuration));
builder.Services.AddDagenGrainServices(builder.Configuration);

using var host = builder.Build();
try
{
    await host.RunAsync();
}
catch (Microsoft.Extensions.Options.OptionsValidationException exception)
{
    Console.Error.WriteLine($"Configuration error: {string.Join(" ", exception.Failures)}");
    return 2;
}
catch (AggregateException exception)
    when (exception.InnerExceptions.All(inner => inner is Microsoft.Extensions.Options.OptionsValidationException))
{
    // Wrong settings in more than one section arrive together; they still make one line.
    var failures = exception.InnerExceptions.Cast<Microsoft.Extensions.Options.OptionsValidationException>()
        .SelectMany(inner => inner.Failures);
    Console.Error.WriteLine($"Configuration error: {string.Join(" ", failures)}");
    return 2;
}

return 0;
