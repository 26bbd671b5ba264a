"""The image workflow's commands that need more than a line: run-image
(flags to Options), image load, image ls."""
from libcontainer.images.run_image import Options, run_image as run
from libcontainer.images.store import ImageStore


def run_image(args, store):
    opts = Options(
        args.image, args.command, tty=args.tty, interactive=args.interactive,
        detach=args.detach, volumes=args.volume, env=args.env, memory=args.memory,
        cpus=args.cpus, cpu_shares=args.cpu_shares, cpuset_cpus=args.cpuset_cpus,
        name=args.name, ports=args.publish, network=args.network, keep=args.keep)
    return run(store, opts)


def load(args, store):
    from libcontainer.images.load import load as load_image
    print(load_image(ImageStore(store.root), args.source, args.name))
    return 0


def list_images(args, store):
    images = ImageStore(store.root).images()
    if args.quiet:
        for name in sorted(images):
            print(name)
        return 0
    rows = [("NAME", "LAYERS", "COMMAND")]
    for name, image in sorted(images.items()):
        config = image.get("config", {})
        command = (config.get("Entrypoint") or []) + (config.get("Cmd") or [])
        rows.append((name, str(len(image["layers"])), " ".join(command)))
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    for row in rows:
        print("   ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip())
    return 0
