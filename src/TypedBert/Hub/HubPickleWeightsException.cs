namespace TypedBert.Hub;

/// <summary>The repository's weights are only a pickle checkpoint (<c>pytorch_model.bin</c>), which TypedBert does not download by default.</summary>
public sealed class HubPickleWeightsException(HubRepoId repo, string revision, string fileName) : HubException(
    $"{repo}@{revision} has no safetensors weights, only {fileName}, a Python pickle. Unpickling a file can run any code hidden in it, " +
    "so TypedBert does not download it. Look for a revision with model.safetensors (the hub's conversion bot often opens one: " +
    $"\"{repo.Id}@refs/pr/N\"), or convert the checkpoint to safetensors with Python. To download {fileName} anyway, set " +
    "HubOptions.AllowPickleWeights = true; TypedBert will still not load it, because it has no safe, restricted pickle reader and " +
    "never executes anything from a model file.",
    repo, revision, fileName);
