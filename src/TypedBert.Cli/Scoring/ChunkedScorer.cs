using System.Diagnostics;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using TypedBert.Classification;
using TypedBert.Cli.Errors;
using TypedBert.Serialization;

namespace TypedBert.Cli.Scoring;

/// <summary>
/// Corpus-scale scoring: the records of one shard, in chunks of a fixed number of records counted from the start of the input (so a
/// chunk holds the same texts, batched the same way, whatever the number of shards), each chunk scored with one
/// <see cref="TextClassifier.PredictBatch"/> (which groups texts of similar length) and written atomically to
/// <c>OUTPUT.parts/chunk-K.jsonl</c>. A killed run, started again with the same command, skips the chunks already written. At the end
/// the chunks are joined, atomically, into OUTPUT and the parts folder is removed.
/// </summary>
internal sealed class ChunkedScorer(TextClassifier classifier, string modelPath, string input, string output, ShardSpec shard, int chunkSize, string textField, TextWriter progress)
{
    static readonly JsonWriterOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    string Parts => output + ".parts";

    public int Run()
    {
        if (File.Exists(output) && !Directory.Exists(Parts))
            throw CliException.BadInput($"--output {output}: already exists (a finished run); delete it or choose another file");
        var records = new TextRecords(input, textField);
        var (bytes, modified) = ScoringManifest.Stamp(input);
        long total = records.Count();
        long chunks = (total + chunkSize - 1) / chunkSize;
        var (first, end) = shard.Chunks(chunks);
        Directory.CreateDirectory(Parts);
        new ScoringManifest(Path.GetFullPath(input), bytes, modified, total, chunkSize, shard.ToString(), Path.GetFullPath(modelPath)).SaveOrCheck(Parts);

        // Chunks written by a run that was killed: complete (each was renamed into place), so not scored again.
        var finished = new HashSet<long>();
        for (long chunk = first; chunk < end; chunk++)
            if (File.Exists(ChunkPath(chunk))) finished.Add(chunk);
        long done = finished.Count;
        long shardTexts = Math.Min(end * chunkSize, total) - Math.Min(first * chunkSize, total);
        if (done > 0) progress.WriteLine($"shard {shard}: resuming, {done} of {end - first} chunks already scored (not scored again)");
        long scoredTexts = 0;
        var clock = Stopwatch.StartNew();
        var pending = new List<TextRecord>(chunkSize);
        long chunkOf(long index) => index / chunkSize;
        foreach (var record in records.Read(i => chunkOf(i) >= first && chunkOf(i) < end && !finished.Contains(chunkOf(i))))
        {
            if (record is null) continue;
            pending.Add(record);
            long chunk = chunkOf(record.Index);
            if (pending.Count == chunkSize || record.Index == Math.Min(total, (chunk + 1) * chunkSize) - 1)
            {
                Score(chunk, pending, bytes, modified);
                scoredTexts += pending.Count;
                done++;
                Report(done, end - first, scoredTexts, shardTexts, clock.Elapsed);
                pending.Clear();
            }
        }
        Join(first, end);
        progress.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"shard {shard}: {shardTexts:N0} texts in {output} ({scoredTexts:N0} scored now, {clock.Elapsed.TotalSeconds:0.0} s)"));
        return 0;
    }

    string ChunkPath(long chunk) => Path.Combine(Parts, string.Create(CultureInfo.InvariantCulture, $"chunk-{chunk:D9}.jsonl"));

    void Score(long chunk, List<TextRecord> batch, long bytes, long modified)
    {
        var predictions = classifier.PredictBatch([.. batch.Select(r => r.Text)]);
        // A file that changes under the scorer would mix two versions of the data: stop, and keep nothing from the changed file.
        if (ScoringManifest.Stamp(input) != (bytes, modified))
            throw CliException.BadInput($"--input {input}: changed while being scored (size or modification time); chunk {chunk} is not written. "
                + $"The chunks before it describe the old file: delete {Parts} and score the new file from the start");
        AtomicFile.Write(ChunkPath(chunk), stream =>
        {
            using var writer = new Utf8JsonWriter(stream, Compact);
            for (int i = 0; i < batch.Count; i++)
            {
                Write(writer, batch[i], predictions[i]);
                writer.Flush();
                writer.Reset();
                stream.WriteByte((byte)'\n');
            }
        });
    }

    void Write(Utf8JsonWriter writer, TextRecord record, Prediction prediction)
    {
        writer.WriteStartObject();
        writer.WriteNumber("index", record.Index);
        if (record.Id is { } id)
        {
            writer.WritePropertyName("id");
            id.WriteTo(writer);
        }
        if (prediction.ProblemType == ProblemType.MultiLabel)
        {
            writer.WriteStartArray("labels");
            foreach (string label in prediction.Labels()) writer.WriteStringValue(label);
            writer.WriteEndArray();
        }
        else writer.WriteString("label", prediction.Label);
        writer.WriteStartObject("scores");
        foreach (string label in classifier.Labels) writer.WriteNumber(label, prediction.ScoreOf(label));
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    void Report(long chunksDone, long chunks, long scored, long texts, TimeSpan elapsed)
    {
        double rate = scored / Math.Max(elapsed.TotalSeconds, 1e-9);
        long left = (chunks - chunksDone) * chunkSize;
        var eta = TimeSpan.FromSeconds(rate > 0 ? Math.Min(left, texts) / rate : 0);
        progress.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"shard {shard}: chunk {chunksDone}/{chunks}, {100.0 * chunksDone / Math.Max(chunks, 1):0.0} %, {rate:0} texts/s, ETA {eta:hh\\:mm\\:ss}"));
    }

    void Join(long first, long end)
    {
        AtomicFile.Write(output, stream =>
        {
            for (long chunk = first; chunk < end; chunk++)
            {
                using var part = File.OpenRead(ChunkPath(chunk));
                part.CopyTo(stream);
            }
        });
        Directory.Delete(Parts, recursive: true);
    }
}
