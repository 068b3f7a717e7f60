package mapping

import "io"

// IdentifierCells returns the cells of a file's identifier and dropped
// columns, as the mapping reads them: what must never leave, for tests
// that look for it in sealed payloads.
func IdentifierCells(m *Mapping, path string) ([]string, error) {
	src, _, err := m.openFile(path)
	if err != nil {
		return nil, err
	}
	defer src.close()
	var out []string
	for {
		_, cells, err := src.next()
		if err != nil {
			if isStop(err) || err == io.EOF {
				return out, nil
			}
			continue
		}
		for i, name := range src.columns() {
			col := m.c.byName[name]
			if col == nil || i >= len(cells) || (col.id == "" && !col.spec.Drop) || cells[i] == "" {
				continue
			}
			out = append(out, cells[i])
		}
	}
}
