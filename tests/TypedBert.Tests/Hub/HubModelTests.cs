using System.Security.Cryptography;
using TypedBert.Classification;
using TypedBert.Hub;
using TypedBert.Pretrained;

namespace TypedBert.Tests.Hub;

public class HubModelTests
{
    static readonly string[] Sentiment = ["negative", "positive"];

    /// <summary>Environment that sends <see cref="PretrainedEncoder.ResolveDirectory"/> to the fake hub and the test's cache.</summary>
    internal static EnvironmentScope HubEnvironment(HubFixture hub) => new(
        ("HF_ENDPOINT", hub.Server.Endpoint), ("HF_HUB_CACHE", hub.Cache.Path), ("HF_HOME", hub.Cache.File("home")),
        ("HF_TOKEN", null), ("HUGGING_FACE_HUB_TOKEN", null), ("HF_TOKEN_PATH", null), ("HF_HUB_OFFLINE", null), ("TRANSFORMERS_OFFLINE", null));

    [Fact]
    public void A_hub_id_downloads_into_the_python_layout_loads_and_predicts_and_a_second_load_sends_no_request()
    {
        using var hub = new HubFixture();
        var main = hub.Server.AddModelFromFolder("acme/mini-bert", PretrainedEncoder.ResolveDirectory(EmbeddedModels.DefaultName));
        using var environment = HubEnvironment(hub);

        float[] first;
        using (var classifier = TextClassifier.FromPretrained("acme/mini-bert", Sentiment))
            first = classifier.Predict("a warm and funny film").Scores;
        int requestsAfterDownload = hub.RequestCount;
        Assert.True(requestsAfterDownload > 0);

        string repo = hub.RepoFolder("models--acme--mini-bert");
        Assert.Equal(main.Commit, File.ReadAllText(Path.Combine(repo, "refs", "main")));
        var weights = main.Files["model.safetensors"];
        string snapshotWeights = Path.Combine(repo, "snapshots", main.Commit, "model.safetensors");
        Assert.Equal(Path.Combine("..", "..", "blobs", weights.Sha256), new FileInfo(snapshotWeights).LinkTarget);
        using (var blob = File.OpenRead(Path.Combine(repo, "blobs", weights.Sha256)))
            Assert.Equal(weights.Sha256, Convert.ToHexStringLower(SHA256.HashData(blob)));
        Assert.True(File.Exists(Path.Combine(repo, "blobs", main.Files["config.json"].GitOid)), "small files are stored under their git object id");
        Assert.True(File.Exists(Path.Combine(repo, ".no_exist", main.Commit, "tokenizer.json")), "a file the hub lacks is recorded, as Python does");
        Assert.Empty(Directory.GetFiles(repo, "*.incomplete", SearchOption.AllDirectories));

        using (var again = TextClassifier.FromPretrained("acme/mini-bert", Sentiment))
            Assert.Equal(first, again.Predict("a warm and funny film").Scores);
        Assert.Equal(requestsAfterDownload, hub.RequestCount);
    }

    [Fact]
    public void A_roberta_repository_brings_its_bpe_files_and_loads()
    {
        using var hub = new HubFixture();
        using var folder = new TemporaryFolder();
        Variants.TinyVariants.Write(TypedBert.Modeling.ModelFamily.Roberta, folder.Path);
        hub.Server.AddModelFromFolder("acme/tiny-roberta", folder.Path);
        using var environment = HubEnvironment(hub);

        using var classifier = TextClassifier.FromPretrained("acme/tiny-roberta", Sentiment);
        Assert.Equal(2, classifier.Predict("a warm and funny film").Scores.Length);
        var requested = hub.Server.Requests.Select(r => r.Path).ToList();
        Assert.Contains(requested, p => p.EndsWith("/merges.txt", StringComparison.Ordinal));
        Assert.DoesNotContain(requested, p => p.EndsWith("/vocab.txt", StringComparison.Ordinal));
    }

    [Fact]
    public void A_repository_pushed_by_transformers_5_with_only_tokenizer_json_loads_with_pythons_logits()
    {
        using var hub = new HubFixture();
        string pythonSaved = TestPaths.Fixture(Path.Combine("variants", "bert"));
        Assert.False(File.Exists(Path.Combine(pythonSaved, "vocab.txt")));
        hub.Server.AddModelFromFolder("acme/python-bert", pythonSaved);
        using var environment = HubEnvironment(hub);

        using var classifier = TextClassifier.FromPretrained("acme/python-bert", Sentiment, pooling: PoolingStrategy.Pooler);
        var requested = hub.Server.Requests.Select(r => r.Path).ToList();
        Assert.Contains(requested, p => p.EndsWith("/tokenizer.json", StringComparison.Ordinal));
        using var expected = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(pythonSaved, "expected.json")));
        var first = expected.RootElement.GetProperty("cases")[0];
        Assert.Equal(first.GetProperty("input_ids").EnumerateArray().Select(e => e.GetInt32()),
            classifier.Tokenizer.Encode(first.GetProperty("text").GetString()!).InputIds);
    }

    [Fact]
    public void A_cache_written_in_pythons_layout_is_used_without_the_network()
    {
        using var hub = new HubFixture();
        string source = PretrainedEncoder.ResolveDirectory(EmbeddedModels.DefaultName);
        string commit = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20));
        string repo = hub.RepoFolder("models--acme--python-bert");
        foreach (string file in Directory.GetFiles(source))
        {
            // As huggingface_hub writes it: the blob under its etag, a relative link in the snapshot, the branch in refs/.
            var stand = new FakeFile(File.ReadAllBytes(file), lfs: file.EndsWith(".safetensors", StringComparison.Ordinal));
            string etag = stand.Lfs ? stand.Sha256 : stand.GitOid;
            Directory.CreateDirectory(Path.Combine(repo, "blobs"));
            File.Copy(file, Path.Combine(repo, "blobs", etag));
            Directory.CreateDirectory(Path.Combine(repo, "snapshots", commit));
            File.CreateSymbolicLink(Path.Combine(repo, "snapshots", commit, Path.GetFileName(file)), $"../../blobs/{etag}");
        }
        Directory.CreateDirectory(Path.Combine(repo, "refs"));
        File.WriteAllText(Path.Combine(repo, "refs", "main"), commit);

        var snapshot = HubModels.Download(new HubRepoId("acme/python-bert"), options: hub.Options);

        Assert.Equal(0, hub.RequestCount);
        Assert.Equal(commit, snapshot.Commit);
        Assert.Equal(Path.Combine(repo, "snapshots", commit), snapshot.Directory);
        using var classifier = TextClassifier.FromPretrained(snapshot.Directory, Sentiment);
        Assert.Contains(classifier.Predict("fine").Label, Sentiment);
    }

    [Fact]
    public void Offline_mode_reads_only_the_cache_and_names_what_is_missing()
    {
        using var hub = new HubFixture();
        var main = hub.AddTinyModel("acme/tiny");
        var online = HubModels.Download(new HubRepoId("acme/tiny"), options: hub.Options);
        int requests = hub.RequestCount;

        var offlineOptions = hub.Options with { Offline = true };
        Assert.Equal(online, HubModels.Download(new HubRepoId("acme/tiny"), options: offlineOptions));
        Assert.Equal(requests, hub.RequestCount);

        var unknown = Assert.Throws<HubCacheMissException>(() => HubModels.Download(new HubRepoId("acme/never-downloaded"), "v2", offlineOptions));
        Assert.Contains("acme/never-downloaded", unknown.Message);
        Assert.Contains("v2", unknown.Message);
        Assert.Contains("config.json", unknown.Message);

        File.Delete(Path.Combine(online.Directory, "vocab.txt"));
        var missingFile = Assert.Throws<HubCacheMissException>(() => HubModels.Download(new HubRepoId("acme/tiny"), options: offlineOptions));
        Assert.Contains("vocab.txt", missingFile.Message);
        Assert.Contains(main.Commit, missingFile.Message);
        Assert.Equal(requests, hub.RequestCount);

        using (new EnvironmentScope(("HF_HUB_OFFLINE", "1")))
            Assert.True(HubOptions.FromEnvironment().Offline);
    }

    [Fact]
    public void A_partial_download_is_resumed_with_a_range_request_and_reports_progress()
    {
        using var hub = new HubFixture();
        var weights = hub.AddTinyModel("acme/resume").Files["model.safetensors"];
        string blobs = Path.Combine(hub.RepoFolder("models--acme--resume"), "blobs");
        Directory.CreateDirectory(blobs);
        File.WriteAllBytes(Path.Combine(blobs, weights.Sha256 + ".incomplete"), weights.Content[..100_000]);
        var reports = new List<HubDownloadProgress>();

        HubModels.Download(new HubRepoId("acme/resume"), options: hub.Options with { Progress = new Recorder(reports) });

        Assert.Contains(hub.Server.Requests, r => r.Method == "GET" && r.Path.StartsWith("/storage/", StringComparison.Ordinal) && r.Range == "bytes=100000-");
        Assert.Equal(weights.Content, File.ReadAllBytes(Path.Combine(blobs, weights.Sha256)));
        Assert.False(File.Exists(Path.Combine(blobs, weights.Sha256 + ".incomplete")));
        var weightReports = reports.Where(r => r.FileName == "model.safetensors").ToList();
        Assert.Equal(100_000, weightReports[0].BytesDone);
        Assert.Equal(new HubDownloadProgress("model.safetensors", weights.Content.Length, weights.Content.Length), weightReports[^1]);
    }

    [Fact]
    public void A_checksum_mismatch_is_refused_and_leaves_nothing_in_the_cache()
    {
        using var hub = new HubFixture();
        var weights = hub.AddTinyModel("acme/corrupt").Files["model.safetensors"];
        string announced = Convert.ToHexStringLower(SHA256.HashData("other bytes"u8));
        weights.AnnouncedSha256 = announced;

        var error = Assert.Throws<HubChecksumMismatchException>(() => HubModels.Download(new HubRepoId("acme/corrupt"), options: hub.Options));

        Assert.Contains("model.safetensors", error.Message);
        Assert.Contains(announced, error.Message);
        Assert.Contains(weights.Sha256, error.Message);
        string repo = hub.RepoFolder("models--acme--corrupt");
        Assert.Empty(Directory.GetFiles(Path.Combine(repo, "snapshots"), "model.safetensors", SearchOption.AllDirectories));
        Assert.Empty(Directory.GetFiles(Path.Combine(repo, "blobs"), announced + "*"));
    }

    [Fact]
    public void The_token_is_sent_to_the_hub_only_and_never_appears_in_an_error()
    {
        using var hub = new HubFixture();
        hub.AddTinyModel("acme/private");
        hub.Server.RequiredToken = "hf_RightSecret123";

        HubModels.Download(new HubRepoId("acme/private"), options: hub.Options with { Token = "hf_RightSecret123" });
        Assert.All(hub.Server.Requests.Where(r => r.Host == "127.0.0.1"), r => Assert.Equal("Bearer hf_RightSecret123", r.Authorization));
        Assert.All(hub.Server.Requests.Where(r => r.Host == "localhost"), r => Assert.Null(r.Authorization));
        Assert.Contains(hub.Server.Requests, r => r.Host == "localhost");

        var wrong = hub.Options with { Token = "hf_WrongSecret456", CacheDirectory = hub.Cache.File("other-cache") };
        var error = Assert.Throws<HubException>(() => HubModels.Download(new HubRepoId("acme/private"), options: wrong));
        Assert.Contains(hub.Server.Requests, r => r.Authorization == "Bearer hf_WrongSecret456");
        Assert.Contains("401", error.Message);
        Assert.Contains("Invalid credentials in Authorization header: Bearer ***", error.Message); // the server's echo, with the token blanked
        Assert.DoesNotContain("hf_WrongSecret456", error.ToString());
        Assert.DoesNotContain("hf_WrongSecret456", wrong.ToString());
    }

    [Fact]
    public void A_pickle_only_repository_is_refused_with_the_reason_unless_allowed_and_even_then_not_loaded()
    {
        using var hub = new HubFixture();
        hub.AddTinyModel("acme/pickled", withSafetensors: false, withPickle: true);

        var error = Assert.Throws<HubPickleWeightsException>(() => HubModels.Download(new HubRepoId("acme/pickled"), options: hub.Options));
        Assert.Contains("acme/pickled", error.Message);
        Assert.Contains("pytorch_model.bin", error.Message);
        Assert.Contains("run any code", error.Message);
        Assert.Contains("AllowPickleWeights", error.Message);
        Assert.DoesNotContain(hub.Server.Requests, r => r.Method == "GET" && (r.Path.EndsWith("pytorch_model.bin", StringComparison.Ordinal) || r.Host == "localhost"));

        var snapshot = HubModels.Download(new HubRepoId("acme/pickled"), options: hub.Options with { AllowPickleWeights = true });
        Assert.True(File.Exists(Path.Combine(snapshot.Directory, "pytorch_model.bin")));
        var refused = Assert.Throws<FileNotFoundException>(() => ModelFiles.RequireSafetensors(snapshot.Directory));
        Assert.Contains("pickle", refused.Message);
    }

    [Fact]
    public void A_missing_required_file_or_repository_is_named()
    {
        using var hub = new HubFixture();
        hub.AddTinyModel("acme/no-config", withConfig: false);
        var noConfig = Assert.Throws<HubNotFoundException>(() => HubModels.Download(new HubRepoId("acme/no-config"), options: hub.Options));
        Assert.Contains("acme/no-config", noConfig.Message);
        Assert.Contains("config.json", noConfig.Message);

        hub.AddTinyModel("acme/no-vocab").Files.TryRemove("vocab.txt", out _);
        var noVocab = Assert.Throws<HubNotFoundException>(() => HubModels.Download(new HubRepoId("acme/no-vocab"), options: hub.Options));
        Assert.Contains("acme/no-vocab", noVocab.Message);
        Assert.Contains("vocab.txt", noVocab.Message);
        Assert.Contains("tokenizer.json", noVocab.Message);

        using var environment = HubEnvironment(hub);
        var unknown = Assert.Throws<DirectoryNotFoundException>(() => PretrainedEncoder.ResolveDirectory("acme/nothing-here@v1"));
        Assert.Contains("acme/nothing-here", unknown.Message);
        Assert.Contains("not found", unknown.Message);
        Assert.Contains(EmbeddedModels.DefaultName, unknown.Message);
    }

    [Fact]
    public void Sharded_weights_are_refused_before_any_shard_is_downloaded()
    {
        using var hub = new HubFixture();
        var main = hub.AddTinyModel("acme/sharded", withSafetensors: false);
        main.Add("model.safetensors.index.json", "{\"weight_map\": {}}"u8.ToArray(), lfs: false);
        main.Add("model-00001-of-00002.safetensors", new byte[1000], lfs: true);

        var error = Assert.Throws<NotSupportedException>(() => HubModels.Download(new HubRepoId("acme/sharded"), options: hub.Options));
        Assert.Contains("model.safetensors.index.json", error.Message);
        Assert.DoesNotContain(hub.Server.Requests, r => r.Host == "localhost");
    }

    [Fact]
    public void Options_default_to_the_variables_huggingface_hub_reads()
    {
        using var folder = new TemporaryFolder();
        File.WriteAllText(folder.File("token"), "hf_FromLoginFile\n");
        using (new EnvironmentScope(("HF_HOME", folder.Path), ("HF_HUB_CACHE", null), ("HUGGINGFACE_HUB_CACHE", null), ("HF_ENDPOINT", "https://mirror.example/"),
                   ("HF_TOKEN", null), ("HUGGING_FACE_HUB_TOKEN", null), ("HF_TOKEN_PATH", null), ("HF_HUB_OFFLINE", "yes"), ("TRANSFORMERS_OFFLINE", null)))
        {
            var options = new HubOptions();
            Assert.Equal(Path.Combine(folder.Path, "hub"), options.CacheDirectory);
            Assert.Equal("https://mirror.example", options.Endpoint);
            Assert.Equal("hf_FromLoginFile", options.Token);
            Assert.True(options.Offline);
            Assert.DoesNotContain("hf_FromLoginFile", options.ToString());
        }
        using (new EnvironmentScope(("HF_HUB_CACHE", folder.File("elsewhere")), ("HF_TOKEN", "hf_FromVariable")))
        {
            Assert.Equal(folder.File("elsewhere"), HubOptions.FromEnvironment().CacheDirectory);
            Assert.Equal("hf_FromVariable", HubOptions.FromEnvironment().Token);
        }
    }

    [Theory]
    [InlineData("bert-base-uncased", "bert-base-uncased", "main")]
    [InlineData("distilbert-base-uncased-finetuned-sst-2-english", "distilbert-base-uncased-finetuned-sst-2-english", "main")]
    [InlineData("org/name@v1.0", "org/name", "v1.0")]
    [InlineData("org/name@refs/pr/3", "org/name", "refs/pr/3")]
    public void Repository_references_parse(string text, string id, string revision)
    {
        Assert.True(HubRepoId.TryParseReference(text, HubRepoType.Model, out var repo, out string parsedRevision));
        Assert.Equal(id, repo.Id);
        Assert.Equal(revision, parsedRevision);
    }

    [Theory]
    [InlineData("a/b/c")]
    [InlineData("../etc")]
    [InlineData("org--x/name")]
    [InlineData("with space")]
    [InlineData("name@")]
    [InlineData("-leading")]
    public void Other_text_is_not_a_repository_reference(string text) =>
        Assert.False(HubRepoId.TryParseReference(text, HubRepoType.Model, out _, out _));

    /// <summary>Records progress on the reporting thread (Progress&lt;T&gt; would post it elsewhere, after the test looked).</summary>
    sealed class Recorder(List<HubDownloadProgress> reports) : IProgress<HubDownloadProgress>
    {
        public void Report(HubDownloadProgress value)
        {
            lock (reports) reports.Add(value);
        }
    }
}
