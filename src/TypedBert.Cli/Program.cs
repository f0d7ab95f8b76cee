using System.CommandLine;
using TypedBert.Cli.Commands;

var root = new RootCommand("typedbert: fine-tune, evaluate and run BERT text classifiers")
{
    TrainCommand.Create(),
    TuneCommand.Create(),
    EvalCommand.Create(),
    PredictCommand.Create(),
    ServeCommand.Create(),
    ExportCommand.Create(),
};
return await root.Parse(args).InvokeAsync();
