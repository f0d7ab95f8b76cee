using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace TypedBert.Hosting;

/// <summary>
/// Checks the options of one named classifier when the host starts. Each message names the setting as the user wrote it:
/// the configuration key (<c>TypedBert:Topic:ModelPath</c>) when the options come from configuration.
/// </summary>
internal sealed partial class TypedBertClassifierOptionsValidator(string name, string keyPrefix, string? missingModelPathHint = null)
    : IValidateOptions<TypedBertClassifierOptions>
{
    public ValidateOptionsResult Validate(string? optionsName, TypedBertClassifierOptions options)
    {
        if (optionsName != name) return ValidateOptionsResult.Skip;
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.ModelPath))
            failures.Add($"{keyPrefix}ModelPath is required: the folder of a fine-tuned classifier{missingModelPathHint}");
        else if (!Directory.Exists(options.ModelPath))
            failures.Add($"{keyPrefix}ModelPath: {options.ModelPath}: no such folder");
        else if (!File.Exists(Path.Combine(options.ModelPath, "config.json")))
            failures.Add($"{keyPrefix}ModelPath: {options.ModelPath}: no config.json; this is not a saved classifier");
        if (options.MaxLength is int maxLength && maxLength < 3)
            failures.Add($"{keyPrefix}MaxLength: {maxLength} leaves no room for text (at least 3: [CLS], one token, [SEP])");
        if (options.BatchSize is int batchSize && batchSize < 1) failures.Add($"{keyPrefix}BatchSize: {batchSize} must be at least 1");
        if (options.Threads is int threads && threads < 1) failures.Add($"{keyPrefix}Threads: {threads} must be at least 1");
        if (options.Device is string device && !DevicePattern().IsMatch(device))
            failures.Add($"{keyPrefix}Device: \"{device}\" is not cpu, cuda or cuda:N");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    [GeneratedRegex(@"^(cpu|cuda(:\d+)?)$", RegexOptions.IgnoreCase)]
    private static partial Regex DevicePattern();
}
