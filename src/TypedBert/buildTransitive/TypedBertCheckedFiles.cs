// Compiled by MSBuild's RoslynCodeTaskFactory as the TypedBertFindCheckedFiles task of TypedBert.targets.
// Keep it to C# 7.3 and netstandard2.0 APIs: the task factory compiles it against those.
#nullable enable
using System;
using System.Collections.Generic;
using System.IO;
using System.Text.RegularExpressions;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace TypedBert.Build
{
    /// <summary>
    /// Finds the files that <c>[BertLabels(TrainingData = "...", ModelPath = "...")]</c> and <c>[BertTrainingConfig(SearchResult = "...")]</c>
    /// name in the project's C# sources, so that the build can pass them to the source generator as AdditionalFiles: the training file
    /// itself, the model folder's config.json and the search's best.json, each only when it exists (a model not trained yet is not an
    /// error; a search result that is missing is TB0401). Paths are relative to the project folder.
    /// </summary>
    /// <remarks>
    /// MSBuild cannot ask the compiler for attribute values before compiling, so this reads the sources as text: it sees a path
    /// written as a string literal on the attribute (the documented form), not one computed from constants. A file it misses can
    /// still be listed as an AdditionalFiles item by hand; the generator reports TB0204 for a training file it does not get, TB0401 for a
    /// search result.
    /// </remarks>
    public sealed class TypedBertFindCheckedFiles : Task
    {
        static readonly Regex Argument = new Regex("\\b(TrainingData|ModelPath|SearchResult)\\s*=\\s*@?\"([^\"\\\\]+)\"", RegexOptions.CultureInvariant);

        /// <summary>The project's Compile items.</summary>
        [Required]
        public ITaskItem[] Sources { get; set; } = Array.Empty<ITaskItem>();

        /// <summary>The project folder (MSBuildProjectDirectory).</summary>
        [Required]
        public string ProjectDirectory { get; set; } = "";

        /// <summary>Full paths of the training files, config.json files and search results that exist.</summary>
        [Output]
        public ITaskItem[] Files { get; set; } = Array.Empty<ITaskItem>();

        public override bool Execute()
        {
            var found = new List<ITaskItem>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var source in Sources)
            {
                string path = source.GetMetadata("FullPath");
                if (!File.Exists(path)) continue;
                string text = File.ReadAllText(path);
                // Most files have neither attribute; skip them without running the expression.
                if (text.IndexOf("BertLabels", StringComparison.Ordinal) < 0 && text.IndexOf("BertTrainingConfig", StringComparison.Ordinal) < 0) continue;
                foreach (Match match in Argument.Matches(text))
                {
                    string named = Path.GetFullPath(Path.Combine(ProjectDirectory, match.Groups[2].Value));
                    string file = match.Groups[1].Value == "ModelPath" ? Path.Combine(named, "config.json") : named;
                    if (File.Exists(file) && seen.Add(file)) found.Add(new TaskItem(file));
                }
            }
            Files = found.ToArray();
            return true;
        }
    }
}
