namespace TypedBert.Server.Repository;

/// <summary>
/// A repository model's place: the version in service, swapped atomically, and what went wrong with the last version that could not
/// be put in service. Requests lease the current version; a swap publishes the new one before letting go of the old one.
/// </summary>
internal sealed class ModelSlot(string name, ServedVersion first)
{
    ServedVersion current = first;

    public string Name { get; } = name;

    public ServedVersion Current => Volatile.Read(ref current);

    /// <summary>The last version refused (load failed, labels differ, smoke prediction failed) and why; null when none since the last swap.</summary>
    public RefusedVersion? LastFailure
    {
        get => Volatile.Read(ref lastFailure);
        set => Volatile.Write(ref lastFailure, value);
    }

    RefusedVersion? lastFailure;

    /// <summary>A reference to the version in service, to give back with <see cref="ServedVersion.Release"/>.</summary>
    public ServedVersion Acquire()
    {
        while (true)
        {
            var version = Current;
            if (version.TryAcquire()) return version;
            // Replaced and let go of between the read and the lease: the new one is already published.
        }
    }

    /// <summary>Puts <paramref name="next"/> in service; the old version is disposed once its last request has finished.</summary>
    public ServedVersion Swap(ServedVersion next)
    {
        var old = Interlocked.Exchange(ref current, next);
        LastFailure = null;
        old.Release();
        return old;
    }

    /// <summary>Lets go of the version in service (at shutdown).</summary>
    public void Retire() => Current.Release();
}

/// <summary>A version that was not put in service, and why.</summary>
internal sealed record RefusedVersion(string Version, string Error);
