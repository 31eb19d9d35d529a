from hasten.server.cli import main

raise SystemExit(main())
