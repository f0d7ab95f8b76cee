using System.Text.RegularExpressions;

namespace TypedBert.Hub;

/// <summary>A hub repository: <c>bert-base-uncased</c> or <c>org/name</c>, of a model or a dataset.</summary>
public partial record HubRepoId
{
    /// <summary>The branch a reference without <c>@revision</c> means.</summary>
    public const string DefaultRevision = "main";

    /// <summary>Creates the id, checked against the hub's syntax.</summary>
    /// <exception cref="ArgumentException"><paramref name="id"/> is not a valid repository id; the message says why.</exception>
    public HubRepoId(string id, HubRepoType type = HubRepoType.Model)
    {
        if (Validate(id) is { } problem) throw new ArgumentException($"\"{id}\" is not a hub repository id: {problem}", nameof(id));
        Id = id;
        Type = type;
    }

    /// <summary><c>name</c> or <c>org/name</c>.</summary>
    public string Id { get; }

    /// <summary>Model or dataset.</summary>
    public HubRepoType Type { get; }

    /// <summary>The cache folder's name, as <c>huggingface_hub</c> writes it: <c>models--org--name</c>.</summary>
    public string CacheFolderName => (Type == HubRepoType.Model ? "models--" : "datasets--") + Id.Replace("/", "--", StringComparison.Ordinal);

    /// <summary>The path prefix of the repository's URLs: empty for models, <c>datasets/</c> for datasets.</summary>
    internal string UrlPrefix => Type == HubRepoType.Model ? "" : "datasets/";

    /// <summary>"model bert-base-uncased" or "dataset imdb", for messages.</summary>
    public override string ToString() => $"{(Type == HubRepoType.Model ? "model" : "dataset")} {Id}";

    /// <summary>
    /// Parses <c>id</c> or <c>id@revision</c> (a branch, tag, <c>refs/pr/N</c> or commit hash); false when the text is not in the
    /// hub's syntax (a path with several folders, spaces, <c>..</c>).
    /// </summary>
    public static bool TryParseReference(string text, HubRepoType type, out HubRepoId repo, out string revision)
    {
        repo = null!;
        revision = DefaultRevision;
        int at = text.IndexOf('@', StringComparison.Ordinal);
        string id = at < 0 ? text : text[..at];
        if (at >= 0)
        {
            revision = text[(at + 1)..];
            if (revision.Length == 0 || revision.Any(char.IsWhiteSpace)) return false;
        }
        if (Validate(id) is not null) return false;
        repo = new HubRepoId(id, type);
        return true;
    }

    /// <summary>What is wrong with <paramref name="id"/>, or null: the rules of <c>huggingface_hub.utils.validate_repo_id</c>.</summary>
    static string? Validate(string? id)
    {
        if (string.IsNullOrEmpty(id)) return "it is empty";
        if (id.Length > 96) return "it is longer than 96 characters";
        if (!Syntax().IsMatch(id)) return "use \"name\" or \"org/name\" with letters, digits, '-', '_' and '.', starting and ending with a letter or digit";
        if (id.Contains("--", StringComparison.Ordinal) || id.Contains("..", StringComparison.Ordinal)) return "\"--\" and \"..\" are not allowed";
        if (id.EndsWith(".git", StringComparison.Ordinal)) return "it ends with .git";
        return null;
    }

    [GeneratedRegex(@"^([A-Za-z0-9_][A-Za-z0-9_.\-]*[A-Za-z0-9_]|[A-Za-z0-9_])(/([A-Za-z0-9_][A-Za-z0-9_.\-]*[A-Za-z0-9_]|[A-Za-z0-9_]))?$")]
    private static partial Regex Syntax();
}
