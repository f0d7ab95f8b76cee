using System.CommandLine;
using TypedBert.Cli.Commands;
using TypedBert.Cli.Errors;

var root = new RootCommand("typedbert: fine-tune, evaluate and run BERT text classifiers")
{
    TrainCommand.Create(),
    TuneCommand.Create(),
    EvalCommand.Create(),
    PredictCommand.Create(),
    ExplainCommand.Create(),
    CalibrateCommand.Create(),
    ServeCommand.Create(),
    ExportCommand.Create(),
    DistillCommand.Create(),
    SuggestCommand.Create(),
};
root.Options.Add(CliErrors.Verbose);
// Every command's expected failures end here as one line (exit 2: usage, 1: data or model); see CliErrors.
return await CliErrors.InvokeAsync(root.Parse(args), Console.Error);
