using System.Reflection;
using TypedBert;

/// <summary>
/// Where the program finds its data and its model, in one place: the paths that [BertLabels] names in Labels.cs, taken
/// against the project folder whatever the current directory is (dotnet run, dotnet run --project, bin/.../TypedBertApp run
/// from anywhere), as the build takes them when it checks the files. A copy of the program without its project (dotnet
/// publish) takes them against its own folder instead, where the .csproj copies data/.
/// </summary>
static partial class ProjectFiles
{
    static readonly BertLabelsAttribute Labels = typeof(TypedBertEnum).GetCustomAttribute<BertLabelsAttribute>()!;

    /// <summary>The project folder the build recorded (see the .csproj), or the program's own folder when it is not there.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The training file, [BertLabels(TrainingData = ...)].</summary>
    public static string TrainingData => Path.Combine(Root, Labels.TrainingData!);

    /// <summary>The held-out rows the program evaluates on.</summary>
    public static string TestData => Path.Combine(Root, "data", "test.tsv");

    /// <summary>The fine-tuned model's folder, [BertLabels(ModelPath = ...)].</summary>
    public static string Model => Path.Combine(Root, Labels.ModelPath!);

    static string FindRoot()
    {
        string? project = typeof(ProjectFiles).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(attribute => attribute.Key == "ProjectFolder")?.Value;
        return project is not null && File.Exists(Path.Combine(project, Labels.TrainingData!)) ? project : AppContext.BaseDirectory;
    }
}
