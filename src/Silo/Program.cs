using Dagen.Grains.Hosting;
using Dagen.Hosting;
using Dagen.Silo;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

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
catch (OptionsValidationException exception)
{
    Console.Error.WriteLine($"Configuration error: {string.Join(" ", exception.Failures)}");
    return 2;
}
catch (AggregateException exception)
    when (exception.InnerExceptions.All(e => e is OptionsValidationException))
{
    // Several sections were wrong at once: still one line, naming every setting to fix.
    var failures = exception.InnerExceptions.Cast<OptionsValidationException>().SelectMany(e => e.Failures);
    Console.Error.WriteLine($"Configuration error: {string.Join(" ", failures)}");
    return 2;
}

return 0;
