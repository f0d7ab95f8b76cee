static partial class ProjectFiles
{
    /// <summary>The web app's content root is the same folder: appsettings.json (urls, logging) is read from any current directory.</summary>
    public static WebApplicationOptions WebOptions(string[] args) => new() { Args = args, ContentRootPath = Root };
}
