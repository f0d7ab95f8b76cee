namespace TypedBert.Tests.Packaging;

/// <summary>
/// What a newcomer's first builds of a template project report: inside a clone of this repository (where the README's
/// commands create it) the projects build as they do anywhere; placeholder data that lacks labels is pointed out, a typo in
/// the data fails the build at the project's own file, and a label that is the enum's name is refused with a clear message.
/// </summary>
[Trait("Category", "Packaging")]
[Collection(TemplateJourneys.Name)]
public class TemplateBuildTests(TemplateFeed feed)
{
    /// <summary>
    /// A folder with the repository's build files, as a clone has them at its root: a project created there used to inherit
    /// central package management and the libtorch reference of Directory.Build.targets, and failed with NU1504.
    /// </summary>
    [Fact]
    public async Task Projects_created_inside_a_clone_build()
    {
        string clone = feed.Folder("clone");
        foreach (string file in new[] { "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props", "src/TypedBert/buildTransitive/TypedBert.targets" })
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(clone, file))!);
            File.Copy(Path.Combine(TestPaths.RepositoryRoot, file), Path.Combine(clone, file));
        }
        string reviews = feed.Create(clone, "typedbert", "Reviews");
        string api = feed.Create(clone, "typedbert-api", "ReviewsApi");
        foreach (string project in new[] { reviews, api }) Assert.True(File.Exists(Path.Combine(project, "Directory.Packages.props")));

        await Task.WhenAll(Task.Run(() => TemplateFeed.BuildClean(reviews)), Task.Run(() => TemplateFeed.BuildClean(api)));
    }

    [Fact]
    public void Placeholder_data_warns_of_labels_without_rows_and_a_data_typo_fails_the_build_at_the_projects_file()
    {
        string project = feed.Create(feed.Folder("custom"), "typedbert", "Mail", "--labels", "Spam,Ham,Other,Junk");
        string data = Path.Combine(project, "data", "train.tsv");

        // One build for both (each fresh build costs CI seconds): the generator reports every finding of the file at once.
        int line = File.ReadLines(data).Count() + 1;
        File.AppendAllText(data, "Win a free cruise now\tSapm\n");
        var build = TemplateFeed.Build(project);
        Assert.True(build.ExitCode != 0, build.ToString());
        Assert.Contains($"{data}({line},1): error TB0201: Label 'Sapm'", build.StandardOutput);
        Assert.Contains($"{data}(1,1): warning TB0202: Label 'Other'", build.StandardOutput);
        Assert.Contains($"{data}(1,1): warning TB0202: Label 'Junk'", build.StandardOutput);
    }

    [Fact]
    public void A_label_that_is_the_enums_name_is_refused_with_a_clear_message()
    {
        string tickets = feed.Create(feed.Folder("clash"), "typedbert", "Tickets", "--labels", "Billing,Tickets");
        var build = TemplateFeed.Build(tickets);
        Assert.True(build.ExitCode != 0, build.ToString());
        Assert.Contains("Labels.cs(8,8): error CS1029: #error: 'A label may not be the enum's name (Tickets)", build.StandardOutput);

        // Also from a name that is no identifier, compared as the enum is named; and None beside a [Flags] enum's None = 0.
        string dotted = feed.Create(feed.Folder("clash-dotted"), "typedbert", "My.Tickets", "--labels", "Billing, MyTickets");
        Assert.Contains("#error A label may not be the enum's name (MyTickets)", File.ReadAllText(Path.Combine(dotted, "Labels.cs")));
        string none = feed.Create(feed.Folder("clash-none"), "typedbert", "Alerts", "--flags", "--labels", "Disk,None");
        Assert.Contains("#error None is the [Flags] enum's \"no label\"", File.ReadAllText(Path.Combine(none, "Labels.cs")));
        string fine = feed.Create(feed.Folder("no-clash"), "typedbert", "Tickets", "--flags", "--labels", "Billing,TicketsOpen");
        Assert.DoesNotContain("#error", File.ReadAllText(Path.Combine(fine, "Labels.cs")));
    }
}
