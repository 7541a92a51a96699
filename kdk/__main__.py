from kdk.cli import main

raise SystemExit(main())
