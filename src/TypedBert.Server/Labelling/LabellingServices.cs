using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using TypedBert.Server.Batching;

namespace TypedBert.Server.Labelling;

/// <summary>The labelling page's services: the data file, the pool, the live model that a retrain can replace, the chooser and the retrain job.</summary>
internal static class LabellingServices
{
    public static void Add(IServiceCollection services, TypedBertServerOptions options)
    {
        services.AddSingleton(_ => new LabelDataFile(options.LabelDataPath!));
        services.AddSingleton(_ => new LabelPool(options.LabelPoolPath!));
        services.AddSingleton(provider => new LiveModel(provider.GetRequiredService<ServedModel>(), provider.GetRequiredService<PredictionBatcher>()));
        services.AddSingleton<INextTexts, SuggestedNextTexts>();
        services.AddSingleton<NextTextsQueue>();
        services.AddSingleton(new RetrainSettings());
        services.AddSingleton<RetrainJob>();
        services.AddHostedService<LabellingStartup>();
    }

    /// <summary>Reads the data file and the pool when the host starts, so that a file the page cannot use stops the server with its name.</summary>
    sealed class LabellingStartup(IServiceProvider services) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            services.GetRequiredService<LabelDataFile>();
            services.GetRequiredService<LabelPool>();
            if (services.GetRequiredService<ServedModel>().Classifier.ProblemType == Classification.ProblemType.Regression)
                throw new InvalidOperationException("the labelling page labels single- and multi-label classifiers; the served model is a regression model (its rows hold numbers, not labels)");
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
