using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis.CSharp;

namespace TypedBert.Generators.Tests;

/// <summary>
/// The code generated for C# 13 (a static TopicPredictions class instead of extension members on the enum) compiled, loaded
/// and called: the repository's own projects use the latest C#, so nothing else runs this variant.
/// </summary>
public sealed class CSharp13RunTests
{
    const string Source = """
        using TypedBert;
        namespace News;

        [BertLabels]
        public enum Topic { World, Sports, Business, [Label("Sci/Tech")] Science }
        """;

    [Fact]
    public void ReadExamples_and_TopicPredictions_run_when_generated_for_CSharp_13()
    {
        var result = GeneratorHarness.Run(Source, LanguageVersion.CSharp13);
        using var image = new MemoryStream();
        var emitted = result.Output.Emit(image);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));
        image.Position = 0;
        // Collectible, so the test leaves nothing loaded; TypedBert itself resolves from the test's own context.
        var context = new AssemblyLoadContext("CSharp13", isCollectible: true);
        try
        {
            var assembly = context.LoadFromStream(image);
            var labels = assembly.GetType("News.TopicLabels", throwOnError: true)!;
            var predictions = assembly.GetType("News.TopicPredictions", throwOnError: true)!;

            string path = Path.Combine(Path.GetTempPath(), $"typedbert-csharp13-{Guid.NewGuid():N}.tsv");
            File.WriteAllText(path, "text\tlabel\nPeace talks\tWorld\nNew chip\tSci/Tech\nShares fall\t2\n");
            try
            {
                var examples = (System.Collections.IEnumerable)labels.GetMethod("ReadExamples")!.Invoke(null, [path, null])!;
                Assert.Equal(["(Peace talks, World)", "(New chip, Science)", "(Shares fall, Business)"], examples.Cast<object>().Select(e => e.ToString()));
            }
            finally
            {
                File.Delete(path);
            }

            // No model set and no ModelPath: Predict runs and says how to set one.
            var call = Assert.Throws<TargetInvocationException>(() => predictions.GetMethod("Predict")!.Invoke(null, ["a text"]));
            var error = Assert.IsType<InvalidOperationException>(call.InnerException);
            Assert.Contains("TopicClassifier.Default", error.Message);
        }
        finally
        {
            context.Unload();
        }
    }
}
