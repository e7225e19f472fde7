"""The documents that commit the country, their assignments, the national coordination forum and its decisions; budget lines and the costs of each secondment."""
