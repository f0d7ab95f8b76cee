using System.CommandLine;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TypedBert.Classification;
using TypedBert.Cli.Errors;
using TypedBert.Server;


namespace TypedBert.Cli.Commands;

/// <summary><c>typedbert serve</c>: answer predictions over HTTP (127.0.0.1 unless told otherwise) until Ctrl+C.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var model = new Option<string?>("--model") { Description = "Classifier folder, or a folder written by typedbert export, served at /predict (fixed for the server's lifetime; requests cannot name files); this or --repository" };
        var repository = new Option<string?>("--repository") { Description = "A model repository: each DIR/<name>/<version>/ (numbered versions, the highest served) at /models/<name>/predict, listed at /models; new versions renamed into place are loaded and swapped in while serving" };
        var allowLabelChange = new Option<bool>("--allow-label-change") { Description = "With --repository: serve a new version whose labels differ from the version it replaces (refused otherwise)" };
        var pollSeconds = new Option<double>("--poll-seconds") { Description = "With --repository: seconds between scans for new versions (besides file-system notifications)", DefaultValueFactory = _ => 5 };
        var urls = new Option<string>("--urls") { Description = "Addresses to listen on, separated by ';'", DefaultValueFactory = _ => TypedBertServerOptions.DefaultUrls };
        var apiKeyEnv = new Option<string?>("--api-key-env") { Description = "Name of the environment variable that holds the API key (never the key itself: command lines are visible to other users)" };
        var defaults = new TypedBertServerOptions { ModelPath = "." };
        var maxTexts = new Option<int>("--max-texts") { Description = "Most texts per request (413 above)", DefaultValueFactory = _ => defaults.MaxTextsPerRequest };
        var maxChars = new Option<int>("--max-chars") { Description = "Most characters per text (400 above)", DefaultValueFactory = _ => defaults.MaxCharsPerText };
        var maxBatch = new Option<int>("--max-batch") { Description = "Most texts per forward batch across concurrent requests", DefaultValueFactory = _ => defaults.MaxBatchSize };
        var maxDelay = new Option<int>("--max-delay-ms") { Description = "Milliseconds a batch waits for more requests to join", DefaultValueFactory = _ => (int)defaults.MaxBatchDelay.TotalMilliseconds };
        var maxWindows = new Option<int>("--max-windows") { Description = "Most windows (model inputs) one request may cost (413 above)", DefaultValueFactory = _ => defaults.MaxWindowsPerRequest };
        var longText = new LongTextCliOptions();
        var engine = EngineOption.Create();
        var drain = new Option<double>(DrainFlag) { Description = "After SIGTERM: seconds to keep answering the requests already accepted before exiting (no new connections meanwhile; /health/ready answers 503)", DefaultValueFactory = _ => defaults.DrainTimeout.TotalSeconds };
        var noMetrics = new Option<bool>("--no-metrics") { Description = "Do not serve Prometheus metrics at /metrics (behind the API key when one is set)" };
        var otlpEndpoint = new Option<string?>("--otlp-endpoint") { Description = "Also push metrics and traces with OTLP to an OpenTelemetry collector at this address (e.g. http://localhost:4317; off by default)" };
        var otlpProtocol = new Option<string>("--otlp-protocol") { Description = "How to speak to --otlp-endpoint: grpc, or http/protobuf (then v1/metrics and v1/traces are added to the address)", DefaultValueFactory = _ => defaults.OtlpProtocol };
        var noPlayground = new Option<bool>("--no-playground") { Description = "Do not serve the playground page at / (with --repository: the model list at / and each model's page at /models/<name>/playground/)" };
        var noOpenApiUi = new Option<bool>("--no-openapi-ui") { Description = "Do not serve the OpenAPI reference at /scalar/" };
        var labelData = new Option<string?>("--label-data") { Description = "Serve the labelling page at /label: the TSV file (text<TAB>label, created when missing) each label is appended to at once; needs --label-pool and --model" };
        var labelPool = new Option<string?>("--label-pool") { Description = "With --label-data: the unlabelled texts the page offers (.txt, one per line, or a .tsv/.csv/.jsonl with a text column)" };
        var command = new Command("serve", "Serve a fine-tuned classifier over HTTP: POST /predict, GET /model, GET /health, GET /openapi/v1.json, the playground page at / and the OpenAPI reference at /scalar/")
        {
            model, repository, allowLabelChange, pollSeconds, urls, apiKeyEnv, maxTexts, maxChars, maxBatch, maxDelay, maxWindows, engine, drain, noMetrics, otlpEndpoint, otlpProtocol, noPlayground, noOpenApiUi,
        };
        command.Options.Add(labelData);
        command.Options.Add(labelPool);
        longText.AddTo(command);
        command.SetAction(async (result, cancellationToken) =>
        {
            string? apiKey = null;
            if (result.GetValue(apiKeyEnv) is { } variable)
            {
                apiKey = Environment.GetEnvironmentVariable(variable);
                if (string.IsNullOrEmpty(apiKey))
                {
                    Console.Error.WriteLine($"--api-key-env {variable}: the environment variable {variable} is not set or empty");
                    return 2;
                }
            }
            string? modelPath = result.GetValue(model);
            string? repositoryPath = result.GetValue(repository);
            if (modelPath is null && repositoryPath is null)
            {
                Console.Error.WriteLine("serve: give --model FOLDER (one classifier) or --repository DIR (DIR/<name>/<version>/ folders), or both");
                return 2;
            }
            Uri? otlp = null;
            if (result.GetValue(otlpEndpoint) is { } otlpAddress && !Uri.TryCreate(otlpAddress, UriKind.Absolute, out otlp))
                throw CliException.Usage($"--otlp-endpoint {otlpAddress}: not an absolute address; give the collector's, e.g. http://localhost:4317");
            if (result.GetValue(otlpProtocol) is not ("grpc" or "http/protobuf") and var protocolName)
                throw CliException.Usage($"--otlp-protocol {protocolName}: not an OTLP protocol; use grpc or http/protobuf");
            double poll = result.GetValue(pollSeconds);
            if (!double.IsFinite(poll) || poll <= 0) throw CliException.Usage($"--poll-seconds {poll}: must be a positive number of seconds");
            var options = new TypedBertServerOptions
            {
                ModelPath = modelPath ?? "",
                RepositoryPath = repositoryPath,
                AllowLabelChange = result.GetValue(allowLabelChange),
                RepositoryPollInterval = TimeSpan.FromSeconds(poll),
                Urls = result.GetValue(urls)!,
                ApiKey = apiKey,
                MaxTextsPerRequest = result.GetValue(maxTexts),
                MaxCharsPerText = result.GetValue(maxChars),
                MaxBatchSize = result.GetValue(maxBatch),
                MaxBatchDelay = TimeSpan.FromMilliseconds(result.GetValue(maxDelay)),
                Engine = result.GetValue(engine),
                MaxWindowsPerRequest = result.GetValue(maxWindows),
                LongText = modelPath is not null && SavedLongText(modelPath) is var saved && longText.Apply(result, saved) is { } overridden ? overridden : null,
                Playground = !result.GetValue(noPlayground),
                OpenApiUi = !result.GetValue(noOpenApiUi),
                DrainTimeout = DrainTime(result.GetValue(drain)),
                Metrics = !result.GetValue(noMetrics),
                OtlpEndpoint = otlp,
                OtlpProtocol = result.GetValue(otlpProtocol)!,
                LabelDataPath = result.GetValue(labelData),
                LabelPoolPath = result.GetValue(labelPool),
            };
            try
            {
                options.Validate();
                if (!CheckBeforeStart(options)) return 2;
            }
            // One line through CliErrors, as every command: a model folder that is missing or unreadable is a bad input (exit 1), a setting
            // out of range a usage mistake (exit 2); ArgumentException's "(Parameter '...')" suffix is not for users.
            catch (ArgumentException e) when (modelPath is not null && !Directory.Exists(modelPath))
            {
                throw CliException.BadInput($"--model {modelPath}: no such model folder", e);
            }
            catch (ArgumentException e) when (repositoryPath is not null && !Directory.Exists(repositoryPath))
            {
                throw CliException.BadInput($"--repository {repositoryPath}: no such folder (a model repository holds <name>/<version>/ folders)", e);
            }
            catch (ArgumentException e)
            {
                throw CliException.Usage(e.ParamName is { } name ? e.Message.Replace($" (Parameter '{name}')", "", StringComparison.Ordinal) : e.Message, e);
            }
            await using var app = TypedBertServer.Create(options, logging => logging
                // Scopes: each line of a request or a batch names the model and its version.
                .AddSimpleConsole(console => { console.SingleLine = true; console.IncludeScopes = true; })
                .SetMinimumLevel(LogLevel.Information)
                .AddFilter("Microsoft", LogLevel.Warning));
            // Ctrl+C cancels the token; the host then stops gracefully, finishing the requests it has.
            try
            {
                await app.StartAsync(cancellationToken);
            }
            catch (InvalidOperationException e) when (options.RepositoryPath is not null && e.Message.StartsWith("model repository ", StringComparison.Ordinal))
            {
                throw CliException.BadInput(e.Message, e); // a broken layout or a model that cannot load: one line naming the folder
            }
            await app.WaitForShutdownAsync(cancellationToken);
            return 0;
        });
        return command;
    }

    /// <summary>
    /// How long the command line waits for <c>serve</c> after SIGTERM or Ctrl+C before it gives up on it: the drain time and a little
    /// more (System.CommandLine's own default, 2 s, would cut the drain short); null for other commands, which keep the default.
    /// </summary>
    public static TimeSpan? TerminationTimeout(ParseResult parsed) =>
        parsed.CommandResult.Command.Name == "serve" && parsed.Errors.Count == 0 && parsed.GetValue<double>(DrainFlag) is var seconds && seconds >= 0 && double.IsFinite(seconds)
            ? TimeSpan.FromSeconds(seconds + 5) : null;

    const string DrainFlag = "--drain-seconds";

    static TimeSpan DrainTime(double seconds) =>
        double.IsFinite(seconds) && seconds >= 0 ? TimeSpan.FromSeconds(seconds) : throw CliException.Usage($"--drain-seconds {seconds}: must be a number of seconds, 0 or more");

    // The model's own long-text settings, which the command-line options override field by field; none when the folder has no config.json
    // (Validate then reports the folder).
    static LongTextOptions SavedLongText(string folder)
    {
        string config = Path.Combine(folder, "config.json");
        return File.Exists(config) ? SequenceClassificationConfig.Load(config).LongText ?? new LongTextOptions() : new LongTextOptions();
    }

    // Resolves the served long-text settings against the model's tokenizer, and --engine against an exported folder's graphs, before the
    // server starts, so that a window or stride out of range or an engine the folder cannot run is one line, not a failed start-up with a
    // stack trace. The model is loaded only when there is something to check.
    static bool CheckBeforeStart(TypedBertServerOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.ModelPath)) return true;
        bool exportedFolder = !File.Exists(Path.Combine(options.ModelPath, "model.safetensors"));
        if (options.LongText is null && (options.Engine is null || !exportedFolder)) return true;
        using var loaded = TextClassifier.Load(options.ModelPath);
        using var classifier = EngineOption.TryWith(loaded, loaded.Settings with { LongText = options.LongText ?? loaded.Settings.LongText }, options.Engine);
        classifier?.LongTextSettingsFor(null);
        return classifier is not null;
    }
}
